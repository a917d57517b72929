"""Minimal QMP client and serial-port line reader over unix sockets (Python standard library only).

Every line received is time-stamped on arrival by a reader thread, so that events (STOP, RESUME,
MIGRATION) carry host times even while the driver is busy elsewhere."""
import json
import queue
import socket
import threading
import time


def connect_unix(path, timeout=30.0):
    """Connect to a unix socket that QEMU may not have created yet."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class LineReader:
    """Collects (host monotonic time, line) from a socket in a background thread."""

    def __init__(self, sock):
        self.sock = sock
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                with self.cond:
                    self.lines.append((time.monotonic(), None))  # end of stream
                    self.cond.notify_all()
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                with self.cond:
                    self.lines.append((time.monotonic(), line.decode(errors="replace").strip("\r")))
                    self.cond.notify_all()

    def wait_for(self, predicate, timeout, start=0):
        """First (time, line) at index >= start with predicate(line) true, or None after timeout."""
        deadline = time.monotonic() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    t, line = self.lines[i]
                    if line is None:
                        return None
                    if predicate(line):
                        return t, line
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def mark(self):
        with self.cond:
            return len(self.lines)


class Control:
    """The host end of the guest's control serial port (ttyS1)."""

    def __init__(self, path):
        self.sock = connect_unix(path)
        self.reader = LineReader(self.sock)

    def send(self, command):
        self.sock.sendall(command.encode() + b"\n")

    def ask(self, command, prefix, timeout=10.0):
        """Send a command and return (time, line) of the first later line starting with prefix."""
        mark = self.reader.mark()
        self.send(command)
        return self.reader.wait_for(lambda l: l.startswith(prefix), timeout, mark)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path):
        self.sock = connect_unix(path)
        self.replies = queue.Queue()
        self.events = []  # (host monotonic time, event dict)
        self.lock = threading.Lock()
        threading.Thread(target=self._run, daemon=True).start()
        greeting = self.replies.get(timeout=30)
        if "QMP" not in greeting:
            raise QMPError(f"no QMP greeting: {greeting}")
        self.cmd("qmp_capabilities")

    def _run(self):
        f = self.sock.makefile("rb")
        while True:
            try:
                raw = f.readline()
            except OSError:  # QEMU killed
                raw = b""
            if not raw:
                break
            t = time.monotonic()
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            if "event" in msg:
                self.events.append((t, msg))
            else:
                self.replies.put(msg)
        self.replies.put({"error": {"class": "Disconnected", "desc": "QMP connection closed"}})

    def cmd(self, name, timeout=30.0, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        with self.lock:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
            try:
                reply = self.replies.get(timeout=timeout)
            except queue.Empty:
                raise QMPError(f"{name}: no reply in {timeout} s")
        if "error" in reply:
            raise QMPError(f"{name}: {reply['error'].get('desc', reply['error'])}")
        return reply.get("return")

    def event_time(self, name, after=0.0):
        """Host time of the first event NAME received after time `after`, or None."""
        for t, e in list(self.events):
            if e["event"] == name and t >= after:
                return t
        return None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
