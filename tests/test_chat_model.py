"""The coach's model client against a loopback chat-completions fake: answers, retries, and every way there is
no answer, each turned into the reason the person is told."""

from __future__ import annotations

import socket

import pytest

from bot.chat_model import ChatModel, ModelUnavailable
from bot.domain.coach import Unavailable
from tests.fake_chat_model import FakeChatModel

MESSAGES = [{"role": "system", "content": "Answer in German."}, {"role": "user", "content": "Hallo"}]


@pytest.fixture
def fake(chat_model: FakeChatModel) -> FakeChatModel:
    return chat_model


def client(url: str, timeout: float = 5.0, key: str | None = "sk-test") -> ChatModel:
    return ChatModel(url, "local-model", key, timeout)


def reason(model: ChatModel) -> Unavailable:
    with pytest.raises(ModelUnavailable) as failed:
        model.complete(MESSAGES)
    return failed.value.reason


def test_an_answer_comes_back_and_the_request_names_model_and_key(fake: FakeChatModel) -> None:
    assert "improved_prompt" in client(fake.url).complete(MESSAGES)
    assert fake.requests[0]["model"] == "local-model" and fake.requests[0]["messages"] == MESSAGES
    assert fake.headers[0]["Authorization"] == "Bearer sk-test"
    client(fake.url, key=None).complete(MESSAGES)
    assert "Authorization" not in fake.headers[1]


def test_a_busy_model_is_asked_again_a_bounded_number_of_times(fake: FakeChatModel) -> None:
    fake.failures_first = 2
    assert "improved_prompt" in client(fake.url).complete(MESSAGES)
    assert len(fake.requests) == 3
    fake.failures_first = 5
    assert reason(client(fake.url)) is Unavailable.REFUSED
    assert len(fake.requests) == 6


def test_errors_and_unreadable_answers_are_named(fake: FakeChatModel) -> None:
    fake.mode = "error"
    assert reason(client(fake.url)) is Unavailable.REFUSED
    fake.mode = "not_json"
    assert reason(client(fake.url)) is Unavailable.MALFORMED


def test_a_slow_model_times_out_without_a_second_try(fake: FakeChatModel) -> None:
    fake.mode, fake.delay_seconds = "slow", 3.0
    assert reason(client(fake.url, timeout=1.0)) is Unavailable.TIMEOUT
    assert len(fake.requests) == 1


def test_a_model_nobody_listens_for_is_unreachable() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert reason(client(f"http://127.0.0.1:{port}/v1")) is Unavailable.UNREACHABLE
