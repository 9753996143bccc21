"""Loopback TCP forwarders between the bot and PostgreSQL, for a database that goes away or stops answering."""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    """Loopback TCP forwarder the test can cut, to make the database unreachable for the server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.connections.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


class StallingProxy(TcpProxy):
    """A forwarder that can stop passing data on while keeping every connection open: a database that
    accepts and then does not answer (`flowing`); or one whose answers on the connections open now no longer
    come back while new connections get through (`stall_answers`: a half-open network)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.flowing = threading.Event()
        self.flowing.set()
        self._answering: list[threading.Event] = []
        super().__init__(target)

    def stall_answers(self) -> None:
        for answering in self._answering:
            answering.clear()

    def resume_answers(self) -> None:
        for answering in self._answering:
            answering.set()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:  # type: ignore[override]
        answering = threading.Event()
        answering.set()
        try:
            if source.getpeername()[1] == self.target[1]:  # the server's answers on this connection
                self._answering.append(answering)
            while data := source.recv(65536):
                self.flowing.wait()
                answering.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:  # one side closed: so does the other, as through a network
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
