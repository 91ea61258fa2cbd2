"""cchc.lib.proofofwork (finding 8 of issue 15)."""

from __future__ import annotations

import hashlib

from cchc.lib.proofofwork import leading_zero_bits, new_challenge, solve, solved


class TestProofOfWork:
    def test_a_solution_is_accepted_for_its_own_form_only(self):
        challenge = new_challenge("token-a", 8)
        solution = solve(challenge)
        assert solved(challenge, solution, bound_to="token-a", max_age=60)
        assert not solved(challenge, solution, bound_to="token-b", max_age=60)

    def test_a_wrong_or_forged_solution_is_refused(self):
        challenge = new_challenge("token-a", 12)
        solution = solve(challenge)
        wrong = next(
            str(n)
            for n in range(10_000)
            if leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < 12
        )
        assert not solved(challenge, wrong, bound_to="token-a", max_age=60)
        assert not solved(challenge + "x", solution, bound_to="token-a", max_age=60)
        assert not solved(challenge, "²", bound_to="token-a", max_age=60)

    def test_zero_bits_are_counted_from_the_first_byte(self):
        assert leading_zero_bits(b"\x00\x0f") == 12 and leading_zero_bits(b"\x80") == 0
