"""The one error the rules raise: a machine-readable code and a human message."""

from shared.protocol import ErrorCode


class DomainError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
