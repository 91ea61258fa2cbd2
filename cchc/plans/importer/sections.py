"""Step 3: blocks in, a document tree out, built from the numbering — never from Markdown heading levels.

Markers nest by kind: I., II. hold 1., 2., which hold a), b), which hold -, which hold +. A paragraph
without a marker is body text of the nearest numbered item above it (not of a bullet: a paragraph after
a bullet list belongs to the list's owner). The closing paragraph, "Nơi nhận" and the signature start
again at the top, so the recipients never end up inside the last section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cchc.lib.text import fold

from .blocks import BULLETS, KINDS, Block, is_closing

_RANK = {kind: float(i) for i, kind in enumerate(KINDS)}
_TOP = re.compile(r"^(?:phu luc|phan thu|noi nhan|tren day la)")
_LABEL = re.compile(r"^([^:]{1,90}?)\s*:\s*(.*)$", re.DOTALL)


@dataclass
class Node:
    block: Block | None
    rank: float = -2.0
    heading_like: bool = False
    children: list[Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.block.text if self.block else ""

    @property
    def marker(self) -> str | None:
        return self.block.marker if self.block else None

    @property
    def kind(self) -> str | None:
        return self.block.kind if self.block else None

    @property
    def line(self) -> int:
        return self.block.line if self.block else 0

    @property
    def label(self) -> str:
        return split_label(self.text)[0]

    @property
    def rest(self) -> str | None:
        return split_label(self.text)[1]

    def walk(self) -> Iterator[Node]:
        """Pre-order: the node, then its descendants."""
        yield self
        for child in self.children:
            yield from child.walk()

    def descendants_text(self) -> list[str]:
        return [node.text for child in self.children for node in child.walk()]


@dataclass
class Outline:
    root: Node
    blocks: list[Block]
    tables: list[list[Block]]

    def front_matter(self) -> list[Block]:
        """Blocks before the first numbered section: header, title, preamble."""
        out = []
        for block in self.blocks:
            if block.kind in ("roman", "upper", "arabic") or block.cells is not None:
                break
            out.append(block)
        return out

    def back_matter(self) -> list[Block]:
        """Blocks from the first "Nơi nhận" / signature line on."""
        for i, block in enumerate(self.blocks):
            closing = block.cells is None and block.kind is None and is_closing(block.text)
            if closing and not fold(block.text).startswith("tren day la"):
                return self.blocks[i:]
        return []


def split_label(text: str) -> tuple[str, str | None]:
    """("Cơ quan thực hiện", "Sở Nội vụ.") for "Cơ quan thực hiện: Sở Nội vụ."."""
    m = _LABEL.match(text)
    if m:
        return m.group(1).strip(" *"), (m.group(2).strip() or None)
    return text.strip(" *"), None


def _is_heading_like(block: Block) -> bool:
    """An unnumbered heading ("Mục đích", "**Yêu cầu**"): short, emphasised, not a sentence."""
    text = block.text
    if len(text) > 100 or text.endswith((".", ";", ",")):
        return False
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 3 and all(c.isupper() for c in letters)
    return block.bold or block.heading > 0 or caps


def build_outline(blocks: list[Block]) -> Outline:
    root = Node(None)
    stack = [root]
    tables: dict[int, list[Block]] = {}
    for block in blocks:
        if block.cells is not None:
            tables.setdefault(block.table or 0, []).append(block)
            continue
        node = _place(block, stack)
        stack[-1].children.append(node)
        if node.rank > -2.0 or node.heading_like:
            stack.append(node)
    return Outline(root, blocks, [tables[k] for k in sorted(tables)])


def _place(block: Block, stack: list[Node]) -> Node:
    """Pop the stack to where ``block`` belongs and return its node (the caller attaches it)."""
    if block.kind is None and (is_closing(block.text) or _TOP.match(fold(block.text))):
        del stack[1:]
        return Node(block, rank=-1.0)
    if block.kind is not None:
        rank = _RANK[block.kind]
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        return Node(block, rank=rank)
    if len(stack) > 1 and _is_heading_like(block):
        while len(stack) > 1 and (stack[-1].heading_like or stack[-1].kind in BULLETS):
            stack.pop()
        return Node(block, rank=stack[-1].rank + 0.5, heading_like=True)
    while len(stack) > 1 and stack[-1].kind in BULLETS:
        stack.pop()
    return Node(block, rank=-2.0)
