"""A loopback stand-in for an OpenAI-compatible `/v1/chat/completions` endpoint, for the prompt coach's tests and
for trying the coach in the console without a model:

    python -m tests.fake_chat_model            # prints the URL to use as COACH_API_URL

It answers in the language the coach asks for, and can be told to answer slowly, with errors, or with
something that is not a chat completion. Every request it received is kept, to show what left the bot."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.console.local_slack import LoopbackService

ADVICE = {
    "German": {
        "good": "Du sagst klar, was du brauchst.",
        "improvements": [
            {"technique": "role", "text": "Gib der KI eine Rolle, z. B. „Du bist eine erfahrene Kundenberaterin“."},
            {"technique": "context", "text": "Nenne Anlass und Ziel der Antwort."},
            {"technique": "format", "text": "Sag, wie lang die Antwort sein soll und in welchem Ton."},
        ],
        "improved_prompt": "Du bist eine erfahrene Kundenberaterin. Schreibe eine freundliche Antwort auf "
        "[Anliegen], höchstens 120 Wörter, mit einem konkreten nächsten Schritt.",
    },
    "English": {
        "good": "You say clearly what you need.",
        "improvements": [
            {"technique": "role", "text": "Give the AI a role, e.g. “You are an experienced account manager”."},
            {"technique": "steps", "text": "Ask it to work step by step."},
        ],
        "improved_prompt": "You are an experienced account manager. Write a friendly reply to [request], at "
        "most 120 words, with one concrete next step.",
    },
}


@dataclass
class FakeChatModel(LoopbackService):
    # How the next requests are answered: "advice", "slow", "error" (HTTP 500), "not_json" (a body that is
    # no JSON), "no_advice" (a chat completion whose content is not the coach's JSON).
    mode: str = "advice"
    delay_seconds: float = 3.0
    # With mode "advice": this many requests first get a 503 (a retry then succeeds).
    failures_first: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    thread_name = "fake-chat-model"

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        body = json.loads(request.rfile.read(int(request.headers.get("Content-Length") or 0)) or b"{}")
        with self._lock:
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            failing = self.failures_first > 0
            self.failures_first -= 1 if failing else 0
        if request.path != "/v1/chat/completions":
            self._send(request, 404, {"error": {"message": "not found"}})
        elif failing:
            self._send(request, 503, {"error": {"message": "busy"}})
        elif self.mode == "error":
            self._send(request, 500, {"error": {"message": "internal error"}})
        elif self.mode == "not_json":
            self._send_raw(request, 200, b"<html>gateway</html>")
        elif self.mode == "no_advice":
            self._send(request, 200, _completion("Gern! Hier ist dein besserer Prompt: ..."))
        else:
            if self.mode == "slow":
                time.sleep(self.delay_seconds)
            system = body["messages"][0]["content"]
            language = "English" if "in English" in system else "German"
            self._send(request, 200, _completion("```json\n" + json.dumps(ADVICE[language]) + "\n```"))

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, data: dict[str, Any]) -> None:
        FakeChatModel._send_raw(request, status, json.dumps(data).encode())

    @staticmethod
    def _send_raw(request: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }


if __name__ == "__main__":
    fake = FakeChatModel()
    print(f"COACH_API_URL={fake.start()} COACH_MODEL=local-fake  (Ctrl+C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
