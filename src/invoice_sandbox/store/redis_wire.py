"""The Redis store's hot path to the server: a few pooled connections driven directly.

redis-py's command layer (pool checkout with a readiness poll, per-command hooks, response
callbacks, pipeline objects) costs several times the round trip it wraps on a request that
makes five of them. ``Wire`` keeps redis-py's ``Connection`` (connecting, AUTH, TLS, unix
sockets, the hiredis parser) and drops the rest: the commands of one step are packed and sent
together, the replies read in order. Cold paths (reset, scans, log reads) still use the client.

Two habits keep a step at one round trip:

* Scripts run by ``EVALSHA`` from their SHA1, known locally; a server that lacks one (new, or
  restarted since) answers NOSCRIPT, and every script is loaded then and the step sent again.
* A connection left watching (a transaction that ended without EXEC: it raised, was
  overtaken, or only read) goes back to the pool marked so, and its next step starts with
  ``UNWATCH``.

A step nobody waits for (``Wire.send``: the journal's append, after the response went out) is
sent at once and its replies are read at the connection's next checkout, by when they have
long arrived; that connection goes to the back of the pool meanwhile. A reply that is an
error is logged then (NOSCRIPT: the scripts are loaded and the step sent again).

A connection taken from the pool may be stale (the server restarted meanwhile): when its first
step fails to connect, send or read, it is sent once more on a fresh connection (not after a
timeout: the server may have run it, and running it twice would double it).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from typing import Iterator, Sequence

import redis
from redis.exceptions import NoScriptError

_IDLE_KEPT = 64
"""Idle connections a process keeps; more are closed when released."""
_CONNECTION_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)
log = logging.getLogger("invoice_sandbox.store")


class Script:
    """A Lua script addressed by its SHA1, so a call sends 40 characters, not the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sha = hashlib.sha1(text.encode()).hexdigest()

    def __call__(self, keys: Sequence, args: Sequence = ()) -> tuple:
        """The command that runs it."""
        return ("EVALSHA", self.sha, len(keys), *keys, *args)


class Wire:
    def __init__(self, client: redis.Redis, scripts: Sequence[Script]) -> None:
        pool = client.connection_pool
        self._connection_class, self._kwargs = pool.connection_class, dict(pool.connection_kwargs)
        self._scripts = tuple(scripts)
        self._idle: list = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    @contextlib.contextmanager
    def connection(self) -> Iterator["Link"]:
        """A connection for a few steps (a transaction); back to the pool afterwards, or
        dropped if a step broke it."""
        link = Link(self, self._checkout())
        try:
            yield link
        finally:
            self._release(link)

    def call(self, *commands: tuple) -> list:
        """One step on a pooled connection: every command sent together, the replies in order."""
        with self.connection() as link:
            return link.call(*commands)

    def send(self, *commands: tuple) -> None:
        """One step whose replies nobody waits for: sent now, read at the connection's next
        checkout (an error then is logged, never raised to whoever checked it out)."""
        with self.connection() as link:
            link.call(*commands, wait=False)

    def _checkout(self):
        if os.getpid() != self._pid:  # forked: the parent's sockets are not ours
            self._pid, self._idle = os.getpid(), []
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is not None and connection.isb_unread:
            connection = self._read_unread(connection)
        if connection is not None:
            return connection
        connection = self._connection_class(**self._kwargs)
        connection.isb_watching = False
        connection.isb_used = False
        connection.isb_unread = ()
        return connection

    def _read_unread(self, connection):
        """The connection after the replies to its last ``send`` are read and checked; None
        when it broke meanwhile (the step may or may not have run: logged)."""
        commands, connection.isb_unread = connection.isb_unread, ()
        replies = []
        try:
            for _ in commands:
                try:
                    replies.append(connection.read_response())
                except redis.ResponseError as error:
                    replies.append(error)
        except _CONNECTION_ERRORS:
            log.warning("Redis: the connection broke before answering %s; it may not have run",
                        [command[0] for command in commands], exc_info=True)
            connection.disconnect()
            return None
        errors = [reply for reply in replies if isinstance(reply, redis.ResponseError)]
        if any(isinstance(error, NoScriptError) for error in errors):
            try:  # a server new since the scripts were loaded: load them, send the step again
                self.load_scripts(connection)
                Link(self, connection).call(*commands, reload_scripts=False)
                return connection
            except Exception:
                log.error("Redis: a step sent without waiting failed again once its scripts "
                          "were loaded", exc_info=True)
                connection.disconnect()
                return None
        for error in errors:
            log.error("Redis refused a step sent without waiting: %s", error, exc_info=error)
        return connection

    def _release(self, link: "Link") -> None:
        connection = link.connection
        if link.broken or os.getpid() != self._pid:
            connection.disconnect()
            return
        connection.isb_watching = link.watching
        connection.isb_used = True
        with self._lock:
            if len(self._idle) < _IDLE_KEPT:  # unread replies: to the back, used last
                self._idle.insert(0, connection) if connection.isb_unread else \
                    self._idle.append(connection)
                return
        connection.disconnect()

    def load_scripts(self, connection) -> None:
        connection.send_packed_command(connection.pack_commands(
            [("SCRIPT", "LOAD", script.text) for script in self._scripts]))
        for _ in self._scripts:
            connection.read_response()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.disconnect()


class Link:
    """One checked-out connection. ``watching`` says whether the server may hold WATCHes for
    it; ``broken`` that it must not go back to the pool."""

    def __init__(self, wire: Wire, connection) -> None:
        self.wire, self.connection = wire, connection
        self.watching = connection.isb_watching
        self.broken = False
        self._steps = 0

    def call(self, *commands: tuple, reload_scripts: bool = True, wait: bool = True) -> list:
        """Send ``commands`` together and read every reply. An error reply is raised after all
        are read (the connection stays in step); NOSCRIPT loads the scripts and sends the step
        again unless ``reload_scripts`` is False (a step whose resending would differ).
        ``wait=False``: only send; the replies are read at the connection's next checkout."""
        first, self._steps = self._steps == 0, self._steps + 1
        unwatch = self.watching and first
        sent = (("UNWATCH",), *commands) if unwatch else commands
        try:
            replies = self._exchange(sent, wait)
        except _CONNECTION_ERRORS as exc:
            # Once more on a fresh connection only when the pooled one was found closed; a
            # timeout may mean the server ran the step, and running it twice would double it.
            if isinstance(exc, redis.TimeoutError) or not (first and self.connection.isb_used):
                self.broken = True
                raise
            self.connection.disconnect()  # stale from the pool: once more, freshly connected
            self.connection.isb_used = False
            try:
                replies = self._exchange(sent, wait)
            except BaseException:
                self.broken = True
                raise
        except BaseException:
            self.broken = True
            raise
        if unwatch:
            replies, self.watching = replies[1:], False
        if not wait:
            self.connection.isb_unread = sent
            return []
        errors = [reply for reply in replies if isinstance(reply, redis.ResponseError)]
        if errors:
            if reload_scripts and any(isinstance(e, NoScriptError) for e in errors):
                try:
                    self.wire.load_scripts(self.connection)
                except BaseException:  # replies may be left unread: never reuse it
                    self.broken = True
                    raise
                return self.call(*commands, reload_scripts=False)
            raise errors[0]
        return replies

    def _exchange(self, commands: Sequence[tuple], wait: bool = True) -> list:
        connection = self.connection
        connection.send_packed_command(connection.pack_commands(commands))
        if not wait:
            return list(commands)  # placeholders: nothing is read
        replies = []
        for _ in commands:
            try:
                replies.append(connection.read_response())
            except redis.ResponseError as error:
                replies.append(error)
        return replies
