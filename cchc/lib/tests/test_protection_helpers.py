import pytest
from django.core.cache import cache

from cchc.lib import captcha, ratelimit
from cchc.lib.env import ConfigError, envrate


class TestEnvRate:
    @pytest.mark.parametrize(
        "text,expected",
        [
            ("10/h", (10, 3600)),
            ("300/m", (300, 60)),
            ("5/30s", (5, 30)),
            ("1000/15m", (1000, 900)),
            ("0/d", (0, 86400)),
            ("7/2", (7, 2)),
        ],
    )
    def test_it_reads_count_per_period(self, monkeypatch, text, expected):
        monkeypatch.setenv("X_RATE", text)
        assert envrate("X_RATE", "1/h") == expected

    @pytest.mark.parametrize("text", ["10", "ten/h", "10/y", "-1/h", "10/0s", "/h"])
    def test_it_refuses_nonsense_loudly(self, monkeypatch, text):
        monkeypatch.setenv("X_RATE", text)
        with pytest.raises(ConfigError):
            envrate("X_RATE", "1/h")

    def test_the_default_applies_when_unset(self, monkeypatch):
        monkeypatch.delenv("X_RATE", raising=False)
        assert envrate("X_RATE", "10/h") == (10, 3600)


class TestRateLimit:
    def test_it_counts_per_key_within_a_window(self):
        cache.clear()
        decisions = [ratelimit.hit("t", "198.51.100.1", (2, 60), now=1000.0) for _ in range(3)]
        assert [d.allowed for d in decisions] == [True, True, False]
        assert decisions[-1].retry_after == 20  # the window [960, 1020) ends in 20 s
        assert ratelimit.hit("t", "198.51.100.2", (2, 60), now=1000.0).allowed  # another address
        assert ratelimit.hit("other", "198.51.100.1", (2, 60), now=1000.0).allowed  # another scope
        assert ratelimit.hit("t", "198.51.100.1", (2, 60), now=1021.0).allowed  # the next window

    def test_a_zero_limit_refuses_everything(self):
        assert not ratelimit.hit("t", "x", (0, 60)).allowed


class TestCaptcha:
    def solve(self, challenge):
        from cchc.feedback.tests.factory import solve

        return solve(challenge.question)

    def test_a_solved_challenge_passes_in_digits_or_words(self):
        challenge = captcha.new_challenge("token-a")
        answer = self.solve(challenge)
        captcha.verify(challenge.token, answer, bound_to="token-a")
        captcha.verify(challenge.token, f"  {answer} ", bound_to="token-a")
        word = captcha.WORDS[int(answer)]
        captcha.verify(challenge.token, word.upper(), bound_to="token-a")

    def test_wrong_answers_other_forms_and_tampering_fail(self):
        challenge = captcha.new_challenge("token-a")
        answer = int(self.solve(challenge))
        with pytest.raises(captcha.CaptchaError, match="chưa đúng"):
            captcha.verify(challenge.token, str(answer + 1), bound_to="token-a")
        with pytest.raises(captcha.CaptchaError, match="chưa đúng"):
            captcha.verify(challenge.token, str(answer), bound_to="token-b")  # bound to another form
        with pytest.raises(captcha.CaptchaError, match="chữ số"):
            captcha.verify(challenge.token, "abc", bound_to="token-a")
        with pytest.raises(captcha.CaptchaError, match="không hợp lệ"):
            captcha.verify(challenge.token[:-2] + "xx", str(answer), bound_to="token-a")
        with pytest.raises(captcha.CaptchaError, match="hết hạn"):
            captcha.verify(challenge.token, str(answer), bound_to="token-a", max_age=-1)

    def test_the_token_does_not_reveal_the_answer(self):
        from django.core import signing

        challenge = captcha.new_challenge("token-a")
        payload = signing.loads(challenge.token, salt=captcha.SALT)
        assert set(payload) == {"n", "h"} and self.solve(challenge) not in payload.values()
