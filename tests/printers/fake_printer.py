"""A fake ESC/POS network printer for tests: a small threaded TCP server on 127.0.0.1.

    with FakePrinter() as fake:
        deliver(parse_printer_url(fake.url + "?timeout=0.5"), data)
        assert len(fake.completed_jobs) == 1

Each connection's bytes are one job (``.jobs``); ``.completed_jobs`` are the jobs whose
payload ends with a cut. DLE EOT n is answered with the configured status bytes.
Modes (``.mode``): "ok", "refuse" (connection refused), "hang" (accept, never read or
answer), "close_mid_job" (answer status, read some job bytes, then reset the connection),
"silent_status" (read everything, never answer status queries), "silent_after_job"
(answer status before the job, then nothing: a printer that stops answering after taking
a job). ``.mid_job_bytes`` sets where "close_mid_job" cuts the job off; ``.stream`` is all
that arrived, in order, as one printer's input (its parser state survives a connection);
``.after_job_queries`` are the times of the status queries that came after job bytes,
with the time the job's last byte arrived.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time

from printers.status import STATUS_QUERIES, PrinterStatus, status_bytes

MODES = ("ok", "refuse", "hang", "close_mid_job", "silent_status", "silent_after_job")
_QUERY_BY_BYTES = {query: n for n, query in STATUS_QUERIES.items()}
_POLL = 0.02
MID_JOB_BYTES = 16  # what "close_mid_job" keeps of the job before resetting


def strip_status_queries(job: bytes) -> bytes:
    """The job without the DLE EOT queries sent before and after it."""
    queries = tuple(STATUS_QUERIES.values())
    changed = True
    while changed:
        changed = False
        for query in queries:
            if job.startswith(query):
                job, changed = job[len(query):], True
            if job.endswith(query):
                job, changed = job[: -len(query)], True
    return job


def is_completed(job: bytes) -> bool:
    """True when the payload ends with a cut command (GS V m, or GS V m n)."""
    payload = strip_status_queries(job)
    tail = payload[-4:]
    return (payload[-3:-1] == b"\x1dV" and payload[-1] in (0, 1, 48, 49)) or (
        tail[:2] == b"\x1dV" and len(tail) == 4 and tail[2] in (65, 66))


class _Connection:
    def __init__(self, sock: socket.socket, mode: str) -> None:
        self.sock = sock
        self.mode = mode
        self.data = bytearray()
        self.thread: threading.Thread | None = None
        self.payload_until: float | None = None  # when the last job byte arrived
        self.after_job_queries: list[float] = []


class FakePrinter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connections: list[_Connection] = []
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._mode = "ok"
        self._status = status_bytes(PrinterStatus.ready())
        self._status_after_job: dict[int, int] | None = None
        self.port = 0
        self.host = "127.0.0.1"
        self.mid_job_bytes = MID_JOB_BYTES

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> FakePrinter:
        self._listen()
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True,
                                               name="FakePrinter-accept")
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=2)
        self._close_listener()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            if conn.thread is not None:
                conn.thread.join(timeout=2)

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    # -- knobs -----------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self._lock:
            self._mode = mode
        if mode == "refuse":
            self._close_listener()
        elif self._listener is None and self._accept_thread is not None:
            self._listen()

    def set_status(self, online: bool = True, paper_out: bool = False,
                   cover_open: bool = False, near_end: bool = False, error: bool = False,
                   after_job: bool = False) -> None:
        """Status bytes to answer with; ``after_job=True``: only once job bytes arrived."""
        replies = status_bytes(PrinterStatus(online=online, cover_open=cover_open,
                                             paper_out=paper_out, paper_near_end=near_end,
                                             error=error))
        self.set_status_bytes(replies, after_job=after_job)

    def set_status_bytes(self, replies: dict[int, int], after_job: bool = False) -> None:
        with self._lock:
            if after_job:
                self._status_after_job = dict(replies)
            else:
                self._status = dict(replies)

    # -- results ---------------------------------------------------------------------
    def wait_idle(self, timeout: float = 2.0) -> None:
        """Wait (bounded) until every connection that reads has seen its client close."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = [c for c in self._connections if c.mode != "hang"
                        and c.thread is not None and c.thread.is_alive()]
                pending = self._has_pending_connection(self._listener)
            if busy:
                busy[0].thread.join(timeout=_POLL)  # type: ignore[union-attr]
            elif not pending:
                return
            else:
                time.sleep(_POLL)

    @staticmethod
    def _has_pending_connection(listener: socket.socket | None) -> bool:
        if listener is None:
            return False
        try:
            ready, _, _ = select.select([listener], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(ready)

    @property
    def jobs(self) -> list[bytes]:
        self.wait_idle()
        with self._lock:
            return [bytes(c.data) for c in self._connections]

    @property
    def stream(self) -> bytes:
        """Everything the printer received, in order: what its parser worked through."""
        return b"".join(self.jobs)

    @property
    def after_job_queries(self) -> list[tuple[float, float]]:
        """(when the job's last byte arrived, when a later status query came), per query."""
        self.wait_idle()
        with self._lock:
            return [(c.payload_until, q) for c in self._connections
                    if c.payload_until is not None for q in c.after_job_queries]

    @property
    def completed_jobs(self) -> list[bytes]:
        return [job for job in self.jobs if is_completed(job)]

    @staticmethod
    def payload(job: bytes) -> bytes:
        return strip_status_queries(job)

    # -- server ----------------------------------------------------------------------
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.setblocking(False)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener

    def _close_listener(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                self._stop.wait(_POLL)
                continue
            try:
                ready, _, _ = select.select([listener], [], [], _POLL)
            except (OSError, ValueError):  # listener closed under us (mode "refuse")
                continue
            if ready:
                self._accept(listener)

    def _accept(self, listener: socket.socket) -> None:
        # Accept and register under the lock, so wait_idle never misses a connection.
        with self._lock:
            try:
                sock, _ = listener.accept()
            except OSError:  # closed, or the client gave up (non-blocking listener)
                return
            sock.setblocking(True)
            conn = _Connection(sock, self._mode)
            conn.thread = threading.Thread(target=self._serve, args=(conn,), daemon=True,
                                           name="FakePrinter-conn")
            self._connections.append(conn)
            conn.thread.start()

    def _serve(self, conn: _Connection) -> None:
        try:
            if conn.mode == "hang":
                self._stop.wait()
                return
            self._read_loop(conn)
        finally:
            conn.sock.close()

    def _read_loop(self, conn: _Connection) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([conn.sock], [], [], _POLL)
            if not ready:
                continue
            try:
                chunk = conn.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            received = bytes(conn.data) + chunk
            query = _QUERY_BY_BYTES.get(received[-3:])
            payload_seen = len(strip_status_queries(received)) > 0
            if conn.mode == "close_mid_job" and payload_seen:
                # Keep only the first bytes of the job, as a printer that lost the rest,
                # then reset: SO_LINGER 0 makes close() send RST.
                with self._lock:
                    conn.data.extend(chunk[:self.mid_job_bytes])
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
                return
            now = time.monotonic()
            with self._lock:
                conn.data.extend(chunk)
                if query is None and payload_seen:
                    conn.payload_until = now
                elif query is not None and payload_seen:
                    conn.after_job_queries.append(now)
            silent = conn.mode == "silent_status" or (conn.mode == "silent_after_job" and payload_seen)
            if query is not None and not silent:
                self._answer(conn, query, after_job=payload_seen)

    def _answer(self, conn: _Connection, n: int, after_job: bool) -> None:
        with self._lock:
            replies = self._status_after_job if after_job and self._status_after_job else (
                self._status)
            reply = replies.get(n)
        if reply is not None:
            try:
                conn.sock.sendall(bytes([reply]))
            except OSError:
                pass
