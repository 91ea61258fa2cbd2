"""Full-text indexes over procedures_procedureindex, one kind per database.

SQLite: two contentless FTS5 tables (names over procedures_procedureindex; texts over
procedures_proceduretext), rowid = the rows' key, kept in sync by triggers, and an fts5vocab table to count how many names hold each term.
The terms are computed by cchc.lib.search (folded, pairs joined by "_"), so the tokenizer only
splits on spaces and keeps "_" inside a token.

PostgreSQL: tsvector columns generated from the term columns with array_to_tsvector (the terms
as they are: no parser, no dictionary, so the "_" pairs survive and nothing else folds them
differently), each with a GIN index.
"""

from django.db import migrations

TOKENIZE = "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\""


def _sync(table: str, fts: str, columns: list[str]) -> list[str]:
    """Triggers that keep a contentless FTS5 table equal to ``table`` (rowid = key); deleting from
    a contentless table takes the values that were indexed, which the triggers have at hand."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.key, {new});"  # nosec B608
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.key, {old});"  # nosec B608
    return [
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE procedures_name_fts USING fts5(
        terms, exact, facets, content='', detail=column, {TOKENIZE})""",
    f"""CREATE VIRTUAL TABLE procedures_text_fts USING fts5(
        text, facets, content='', detail=column, {TOKENIZE})""",
    "CREATE VIRTUAL TABLE procedures_name_vocabulary USING fts5vocab(procedures_name_fts, 'col')",
    *_sync("procedures_procedureindex", "procedures_name_fts", ["terms", "exact", "facets"]),
    *_sync("procedures_proceduretext", "procedures_text_fts", ["text", "facets"]),
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {fts}_{event}" for fts in ("procedures_name_fts", "procedures_text_fts")
      for event in ("insert", "delete", "update")),
    "DROP TABLE IF EXISTS procedures_name_vocabulary",
    "DROP TABLE IF EXISTS procedures_text_fts",
    "DROP TABLE IF EXISTS procedures_name_fts",
]


def _vector(column: str) -> str:
    return f"array_to_tsvector(string_to_array({column}, ' '))"


POSTGRES_FORWARD = [
    f"""ALTER TABLE procedures_procedureindex
        ADD COLUMN name_vector tsvector GENERATED ALWAYS AS ({_vector('terms')}) STORED,
        ADD COLUMN exact_vector tsvector GENERATED ALWAYS AS ({_vector('exact')}) STORED,
        ADD COLUMN facet_vector tsvector GENERATED ALWAYS AS ({_vector('facets')}) STORED""",
    "CREATE INDEX procedures_index_name_gin ON procedures_procedureindex USING gin (name_vector)",
    "CREATE INDEX procedures_index_exact_gin ON procedures_procedureindex USING gin (exact_vector)",
    "CREATE INDEX procedures_index_facet_gin ON procedures_procedureindex USING gin (facet_vector)",
    f"""ALTER TABLE procedures_proceduretext
        ADD COLUMN text_vector tsvector GENERATED ALWAYS AS ({_vector('text')}) STORED,
        ADD COLUMN facet_vector tsvector GENERATED ALWAYS AS ({_vector('facets')}) STORED""",
    "CREATE INDEX procedures_text_text_gin ON procedures_proceduretext USING gin (text_vector)",
    "CREATE INDEX procedures_text_facet_gin ON procedures_proceduretext USING gin (facet_vector)",
]
POSTGRES_BACKWARD = [
    """ALTER TABLE procedures_procedureindex
        DROP COLUMN IF EXISTS name_vector, DROP COLUMN IF EXISTS exact_vector, DROP COLUMN IF EXISTS facet_vector""",
    "ALTER TABLE procedures_proceduretext DROP COLUMN IF EXISTS text_vector, DROP COLUMN IF EXISTS facet_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
