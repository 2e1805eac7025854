"""Who is asking, from where: set per request by the middleware, read by activity_record.

Services stay free of request objects; the IP address reaches the audit entry through this
context variable. Outside a request (commands, workers) it is None.
"""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("siwanda_current_ip", default=None)
