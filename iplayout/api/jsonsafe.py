"""Make values from either engine JSON-safe (dates, decimals, bytes, UUIDs, NaN)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import uuid
from typing import Any


def json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return json_safe(value.item())
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return value.iso_format()
    return str(value)
