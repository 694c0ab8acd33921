// Checks a Roster webhook delivery: its Roster-Signature header against the raw body.
const crypto = require("crypto");

// secret: the endpoint's secret ("whsec_…"); header: the Roster-Signature header;
// body: the raw request body (a string, before JSON.parse); nowSeconds: Unix time;
// toleranceSeconds: how old a timestamp may be (300 is usual): older is a replay.
function isValidRosterSignature(secret, header, body, nowSeconds, toleranceSeconds = 300) {
  let timestamp = null;
  const signatures = [];
  for (const part of header.split(",")) {
    const index = part.indexOf("=");
    if (index < 0) return false;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === "t") timestamp = value;
    else if (key === "v1") signatures.push(value);
  }
  if (timestamp === null || !/^[0-9]+$/.test(timestamp) || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;

  const expected = crypto.createHmac("sha256", secret).update(timestamp + "." + body, "utf8").digest();
  return signatures.some((signature) => {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    // Constant time: a comparison that stops at the first wrong byte leaks how many were right.
    return crypto.timingSafeEqual(Buffer.from(signature, "hex"), expected);
  });
}

module.exports = { isValidRosterSignature };

// In an Express app, keep the raw body:
//   app.post("/hooks", express.raw({ type: "application/json" }), (req, res) => {
//     const body = req.body.toString("utf8");
//     if (!isValidRosterSignature(process.env.ROSTER_WEBHOOK_SECRET, req.get("Roster-Signature") || "", body, Date.now() / 1000)) {
//       return res.sendStatus(400);
//     }
//     const event = JSON.parse(body); // act on it once per event.id, then answer 2xx
//     res.sendStatus(204);
//   });
