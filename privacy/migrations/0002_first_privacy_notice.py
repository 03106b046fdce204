"""The first personal data notice (version 1.0), so every consent points at a text from day one; the
department edits later versions in /cms/ › Snippets."""
import datetime

from django.db import migrations

BODY = """
<p>Chợ OCOP Hà Tĩnh do Sở Công Thương tỉnh Hà Tĩnh vận hành (bên kiểm soát và xử lý dữ liệu cá nhân).
Thông báo này cho biết chúng tôi xử lý dữ liệu cá nhân nào của bạn, để làm gì, giữ trong bao lâu và bạn có những
quyền gì, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.</p>
<h3>Dữ liệu chúng tôi thu thập</h3>
<ul>
<li>Người mua: họ tên, số điện thoại, e-mail, địa chỉ nhận hàng, thông tin xuất hóa đơn (nếu bạn yêu cầu),
đơn hàng và thanh toán.</li>
<li>Tài khoản: e-mail hoặc số điện thoại đăng nhập, sổ địa chỉ.</li>
<li>Người bán và người đăng ký bán hàng: tên, mã số thuế, người đại diện, số căn cước công dân, số điện thoại,
e-mail, địa chỉ, tài khoản ngân hàng nhận tiền, giấy tờ đính kèm.</li>
</ul>
<h3>Mục đích</h3>
<p>Giao hàng và liên hệ về đơn hàng; thanh toán, hoàn tiền và xuất hóa đơn điện tử; xét duyệt hồ sơ người bán
và chuyển tiền bán hàng; thống kê của Sở (chỉ số liệu tổng hợp, không kèm dữ liệu cá nhân).</p>
<h3>Bảo vệ</h3>
<p>Số căn cước công dân và số tài khoản ngân hàng được mã hóa khi lưu trữ; chỉ cán bộ Sở xét duyệt hồ sơ mới
xem được đầy đủ và mọi lần xem đều được ghi nhật ký.</p>
<h3>Thời gian lưu trữ</h3>
<p>Thông tin liên hệ trên đơn hàng của khách không đăng nhập được ẩn danh 12 tháng sau khi đơn hoàn tất; hồ sơ
đăng ký bán hàng bỏ dở được xóa thông tin cá nhân sau 6 tháng; đơn hàng, hóa đơn và sổ thanh toán được giữ
số tiền theo quy định về kế toán và hóa đơn.</p>
<h3>Quyền của bạn</h3>
<p>Bạn được biết, đồng ý hoặc không đồng ý, rút lại sự đồng ý, xem và tải về dữ liệu của mình, yêu cầu chỉnh sửa,
xóa, hạn chế xử lý hoặc phản đối xử lý, khiếu nại và yêu cầu bồi thường theo quy định của pháp luật. Người có tài
khoản thực hiện các yêu cầu tại trang “Dữ liệu cá nhân của tôi”; người khác liên hệ Sở Công Thương theo địa chỉ
ở cuối trang.</p>
"""


def create(apps, schema_editor):
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(version="1.0", defaults={
        "title": "Thông báo xử lý dữ liệu cá nhân", "body": BODY.strip(),
        "effective_from": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
