"""Checks a Roster webhook delivery: its Roster-Signature header against the raw body."""
import hashlib
import hmac
import re


def is_valid_roster_signature(secret: str, header: str, body: str, now_seconds: float, tolerance_seconds: int = 300) -> bool:
    """secret: the endpoint's secret ("whsec_..."); header: the Roster-Signature header;
    body: the raw request body (str, before json.loads); now_seconds: Unix time;
    tolerance_seconds: how old a timestamp may be (300 is usual): older is a replay."""
    timestamp = None
    signatures = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not re.fullmatch(r"[0-9]+", timestamp) or not signatures:
        return False
    if abs(now_seconds - int(timestamp)) > tolerance_seconds:
        return False

    expected = hmac.new(secret.encode("utf-8"), (timestamp + "." + body).encode("utf-8"), hashlib.sha256).hexdigest()
    # compare_digest takes constant time: a comparison that stops at the first wrong character leaks how many were right.
    return any(hmac.compare_digest(signature, expected) for signature in signatures)


# In Flask, keep the raw body:
#   @app.post("/hooks")
#   def hooks():
#       body = request.get_data(as_text=True)
#       if not is_valid_roster_signature(os.environ["ROSTER_WEBHOOK_SECRET"], request.headers.get("Roster-Signature", ""), body, time.time()):
#           abort(400)
#       event = json.loads(body)  # act on it once per event["id"], then answer 2xx
#       return "", 204
