"""The device side of ZVT in a thread: a payment terminal simulator for tests and `nova sim`.

It approves, declines listed amounts, and misbehaves on request: `silent` (acknowledges, then
never answers), `drop_after_approval` (takes the money, then drops the line before telling the
till), `duplicate` (sends the completion twice).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from desktop.hardware.sim_server import TcpSimulator
from desktop.hardware.zvt import (
    ABORT,
    ACK,
    AUTHORIZATION,
    BMP_AMOUNT,
    BMP_CARD_TYPE,
    BMP_PAN,
    BMP_RECEIPT,
    BMP_RESULT,
    BMP_TRACE,
    COMPLETION,
    END_OF_DAY,
    INTERMEDIATE,
    LAST_TRANSACTION,
    PT_ABORT,
    REFUND,
    REVERSAL,
    STATUS_ENQUIRY,
    STATUS_INFO,
    Apdu,
    bcd,
    from_bcd,
    read_apdu,
)

MASKED_PAN = bytes([0xF0, 0xF8]) + bytes.fromhex("4111eeeeeeee4242")  # 8 bytes: 16 digits, masked


@dataclass
class SimulatedZvtTerminal(TcpSimulator):
    host: str = "127.0.0.1"
    port: int = 0
    decline_minor: set[int] = field(default_factory=set)
    fault: str | None = None  # silent, drop_after_approval, duplicate
    transactions: list[tuple[str, int]] = field(default_factory=list)  # (kind, amount) taken
    trace: int = 0
    _last: bytes | None = None

    def serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(3)
        self._handle(conn, read_apdu(conn))

    def _handle(self, conn: socket.socket, command: Apdu) -> None:
        if command.command == ABORT:
            self.transactions.append(("abort", 0))
        conn.sendall(ACK)
        if command.command in (AUTHORIZATION, REFUND):
            self._pay(conn, command)
        elif command.command == LAST_TRANSACTION:
            if self._last is None:
                self._send(conn, Apdu(*PT_ABORT, bytes([0x64])))
            else:
                self._send(conn, Apdu(*STATUS_INFO, self._last))
                self._send(conn, Apdu(*COMPLETION))
        elif command.command == STATUS_ENQUIRY:
            self._send(conn, Apdu(*STATUS_INFO, bytes([BMP_RESULT, 0])))
            self._send(conn, Apdu(*COMPLETION))
        elif command.command == END_OF_DAY:
            total = sum(a for k, a in self.transactions if k == "sale") - sum(
                a for k, a in self.transactions if k == "refund"
            )
            self.transactions.append(("end_of_day", total))
            info = bytes([BMP_RESULT, 0, BMP_AMOUNT]) + bcd(total, 6)
            self._send(conn, Apdu(*STATUS_INFO, info))
            self._send(conn, Apdu(*COMPLETION))
        elif command.command == REVERSAL:
            self.transactions.append(("reversal", 0))
            self._send(conn, Apdu(*STATUS_INFO, bytes([BMP_RESULT, 0])))
            self._send(conn, Apdu(*COMPLETION))

    def _pay(self, conn: socket.socket, command: Apdu) -> None:
        if self.fault == "silent":
            threading.Event().wait(5)  # acknowledged, then nothing
            return
        amount = from_bcd(command.data[1:7]) if command.data[:1] == bytes([BMP_AMOUNT]) else 0
        self._send(conn, Apdu(*INTERMEDIATE, bytes([0x0A])))  # "insert card"
        if amount in self.decline_minor:
            self._send(conn, Apdu(*PT_ABORT, bytes([0x05])))  # declined
            return
        self.trace += 1
        kind = "refund" if command.command == REFUND else "sale"
        self.transactions.append((kind, amount))
        self._last = (
            bytes([BMP_RESULT, 0, BMP_AMOUNT])
            + bcd(amount, 6)
            + bytes([BMP_TRACE])
            + bcd(self.trace, 3)
            + bytes([BMP_RECEIPT])
            + bcd(self.trace, 2)
            + bytes([BMP_PAN])
            + MASKED_PAN
            + bytes([BMP_CARD_TYPE, 0x0A])
        )
        if self.fault == "drop_after_approval":
            self.fault = None  # once: the next call (the till asking) gets answers
            return  # the money is taken; the till never hears it
        self._send(conn, Apdu(*STATUS_INFO, self._last))
        self._send(conn, Apdu(*COMPLETION))
        if self.fault == "duplicate":
            conn.sendall(Apdu(*COMPLETION).encode())

    @staticmethod
    def _send(conn: socket.socket, message: Apdu) -> None:
        conn.sendall(message.encode())
        if read_apdu(conn).encode() != ACK:
            raise ConnectionError("the ECR did not acknowledge")
