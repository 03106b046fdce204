"""VNPay's code tables (spec §4.4, §5.3), with English meanings for logs and admin screens."""

#: vnp_ResponseCode of the Return URL and the IPN (DOC-PAY table, plus the older codes).
RESPONSE_CODES = {
    "00": "Transaction successful",
    "01": "Transaction already exists",
    "02": "Invalid merchant (check vnp_TmnCode)",
    "03": "Invalid data format",
    "04": "Website temporarily locked",
    "05": "Wrong payment password too many times",
    "06": "Wrong OTP",
    "07": "Money deducted, transaction suspected (fraud or unusual)",
    "08": "Bank system under maintenance",
    "09": "Card/account not registered for Internet Banking",
    "10": "Card/account authentication failed more than 3 times",
    "11": "Payment timed out (waiting period expired)",
    "12": "Card/account locked",
    "13": "Wrong OTP",
    "24": "Customer cancelled the transaction",
    "51": "Insufficient balance",
    "65": "Daily transaction limit exceeded",
    "75": "Paying bank under maintenance",
    "79": "Wrong payment password too many times",
    "99": "Other error",
}

#: vnp_TransactionStatus (DOC-PAY table, plus TECHSPEC's extra codes).
TRANSACTION_STATUSES = {
    "00": "Successful",
    "01": "Not completed",
    "02": "Error",
    "04": "Reversed (customer debited at the bank, transaction not successful at VNPay)",
    "05": "VNPay is processing this transaction (refund)",
    "06": "VNPay has sent the refund request to the bank",
    "07": "Suspected fraud",
    "08": "Payment time expired",
    "09": "Refund rejected",
    "10": "Delivered",
    "11": "Cancelled",
    "20": "Settled to the merchant",
}

#: vnp_TransactionType of querydr/refund.
TRANSACTION_TYPES = {"01": "Payment", "02": "Full refund", "03": "Partial refund"}
FULL_REFUND = "02"
PARTIAL_REFUND = "03"

#: vnp_ResponseCode of the querydr API.
QUERYDR_RESPONSE_CODES = {
    "00": "Success",
    "02": "Invalid merchant (vnp_TmnCode)",
    "03": "Invalid data format",
    "08": "System under maintenance",
    "91": "Transaction not found",
    "94": "Duplicate request within the API's time limit",
    "97": "Invalid checksum",
    "99": "Other error",
}

#: vnp_ResponseCode of the refund API ("02" has two meanings in VNPay's tables; both are shown).
REFUND_RESPONSE_CODES = {
    "00": "Success (refund request accepted)",
    "02": "Invalid merchant (vnp_TmnCode), or total refund amount greater than the original amount",
    "03": "Invalid data format",
    "04": "Full refund not allowed after a partial refund",
    "08": "System under maintenance",
    "13": "Only partial refund allowed",
    "16": "Refund not possible at this time",
    "91": "Transaction to refund not found",
    "93": "Invalid refund amount",
    "94": "Duplicate request, or a refund for this transaction is already being processed",
    "95": "Transaction not successful at VNPay; refund refused",
    "97": "Invalid checksum",
    "98": "Timeout exception",
    "99": "Other error",
}

#: The merchant's answer to an IPN; VNPay stops retrying on these two only.
IPN_FINAL_RSP_CODES = frozenset({"00", "02"})
IPN_RSP_MESSAGES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "invalid amount",
    "97": "Invalid signature",
    "99": "Unknow error",
}


def describe(table, code):
    """Meaning of `code` in `table`, never failing on a code VNPay added later."""
    return table.get(code, f"Unknown code {code!r}")
