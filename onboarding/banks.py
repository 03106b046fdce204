"""Vietnamese banks a seller may receive payouts at (code as used by NAPAS/VietQR, display name).

A short list on purpose: the banks with branches across Hà Tĩnh, plus the two that serve households
and cooperatives in the countryside (Agribank, the Social Policy Bank, Co-opBank).
"""
BANKS = [
    ("VBA", "Agribank – Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    ("VCB", "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam"),
    ("BIDV", "BIDV – Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    ("ICB", "VietinBank – Ngân hàng TMCP Công Thương Việt Nam"),
    ("VBSP", "Ngân hàng Chính sách xã hội Việt Nam"),
    ("COOPBANK", "Co-opBank – Ngân hàng Hợp tác xã Việt Nam"),
    ("TCB", "Techcombank – Ngân hàng TMCP Kỹ Thương Việt Nam"),
    ("MB", "MB – Ngân hàng TMCP Quân đội"),
    ("ACB", "ACB – Ngân hàng TMCP Á Châu"),
    ("VPB", "VPBank – Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    ("STB", "Sacombank – Ngân hàng TMCP Sài Gòn Thương Tín"),
    ("SHB", "SHB – Ngân hàng TMCP Sài Gòn – Hà Nội"),
    ("LPB", "LPBank – Ngân hàng TMCP Lộc Phát Việt Nam"),
    ("TPB", "TPBank – Ngân hàng TMCP Tiên Phong"),
    ("VIB", "VIB – Ngân hàng TMCP Quốc tế Việt Nam"),
    ("HDB", "HDBank – Ngân hàng TMCP Phát triển TP. Hồ Chí Minh"),
    ("MSB", "MSB – Ngân hàng TMCP Hàng Hải Việt Nam"),
    ("BAB", "Bac A Bank – Ngân hàng TMCP Bắc Á"),
]
BANK_NAMES = dict(BANKS)
