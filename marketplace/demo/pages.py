"""Wagtail content of the demo: home page, news, guides, the department's contact."""
import datetime
import io

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from marketplace.cms.models import (DepartmentContact, FeaturedProduct, GuideIndexPage, GuidePage, HomePage,
                                    NewsIndexPage, NewsPage, StandardPage)

from .images import draw_banner

NEWS = [
    ("ha-tinh-dua-san-pham-ocop-len-san-thuong-mai-dien-tu",
     "Hà Tĩnh đưa sản phẩm OCOP lên sàn thương mại điện tử",
     "Các chủ thể OCOP được hỗ trợ mở gian hàng, chụp ảnh sản phẩm và thanh toán không dùng tiền mặt.",
     "Sở Công Thương phối hợp với các tổ công nghệ số cộng đồng hướng dẫn hợp tác xã, hộ kinh doanh đăng ký "
     "gian hàng, đăng sản phẩm và nhận thanh toán qua VNPay."),
    ("mua-buoi-phuc-trach-chinh-vu",
     "Vào mùa bưởi Phúc Trạch chính vụ",
     "Bưởi Phúc Trạch – đặc sản Hương Khê – có mặt trên sàn với tem truy xuất nguồn gốc.",
     "Người mua có thể đặt bưởi trực tiếp từ các hợp tác xã tại Hương Khê, giao tận nhà."),
    ("keo-cu-do-mon-qua-xu-nghe",
     "Kẹo cu đơ: món quà xứ Nghệ",
     "Từ mật mía, lạc rang và bánh đa, kẹo cu đơ là món quà quen thuộc của người Hà Tĩnh.",
     "Nhiều cơ sở sản xuất kẹo cu đơ đạt chứng nhận OCOP 3 sao và 4 sao."),
    ("tap-huan-chuyen-doi-so-cho-hop-tac-xa",
     "Tập huấn chuyển đổi số cho hợp tác xã",
     "Các lớp tập huấn giúp chủ thể OCOP bán hàng trực tuyến và xuất hóa đơn điện tử.",
     "Học viên được hướng dẫn quản lý đơn hàng, tồn kho và đối soát thanh toán trên sàn."),
    ("cam-bu-huong-son-vao-vu",
     "Cam bù Hương Sơn vào vụ thu hoạch",
     "Những vườn cam bù ở Hương Sơn bước vào vụ thu hoạch cuối năm.",
     "Các nhà vườn nhận đặt hàng trên sàn và giao hàng trong ngày tại thành phố Hà Tĩnh."),
    ("nuoc-mam-cam-nhuong-giu-nghe-truyen-thong",
     "Nước mắm Cẩm Nhượng giữ nghề truyền thống",
     "Làng nghề nước mắm Cẩm Nhượng đưa sản phẩm đạt chuẩn OCOP đến người tiêu dùng cả nước.",
     "Sản phẩm được đóng chai, dán tem OCOP và bán trên sàn thương mại điện tử của tỉnh."),
]

GUIDES = [
    ("huong-dan-ban-hang-tren-san", "Hướng dẫn bán hàng trên sàn", "seller",
     "Các bước để hợp tác xã, tổ hợp tác, hộ kinh doanh mở gian hàng và bán sản phẩm OCOP.",
     ["Chuẩn bị giấy đăng ký kinh doanh, giấy chứng nhận OCOP và tài khoản ngân hàng.",
      "Đăng ký tài khoản người bán; tổ công nghệ số cộng đồng có thể hỗ trợ khai thay.",
      "Sở Công Thương xét duyệt hồ sơ và giấy chứng nhận OCOP.",
      "Đăng sản phẩm với ảnh, giá, tồn kho; xác nhận và giao đơn hàng đúng hẹn."]),
    ("huong-dan-mua-hang", "Hướng dẫn mua hàng", "shopper",
     "Tìm sản phẩm, thêm vào giỏ hàng và thanh toán không dùng tiền mặt.",
     ["Tìm sản phẩm theo tên, có dấu hoặc không dấu.",
      "Thêm sản phẩm của nhiều người bán vào cùng một giỏ hàng.",
      "Thanh toán qua VNPay hoặc khi nhận hàng."]),
    ("hieu-ve-sao-ocop", "Hiểu về hạng sao OCOP", "all",
     "Sản phẩm OCOP được đánh giá theo thang 100 điểm: 3 sao, 4 sao và 5 sao được chứng nhận.",
     ["3 sao: 50–69 điểm; 4 sao: 70–89 điểm; 5 sao: 90–100 điểm (OCOP quốc gia).",
      "Giấy chứng nhận có giá trị 36 tháng; huy hiệu OCOP chỉ hiển thị khi giấy chứng nhận còn hiệu lực."]),
]


def _paragraphs(lines):
    return [("paragraph", f"<p>{line}</p>") for line in lines]


def _banner(title, subtitle, name, with_text=True):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = draw_banner(title=title if with_text else "", subtitle=subtitle)
        image = Image(title=title, file=ImageFile(io.BytesIO(data), name=f"{name}.jpg"))
        image.save()
    return image


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def load_pages(featured_products):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = 0
    if home is None:
        hero = _banner("Chợ OCOP Hà Tĩnh", "", "hero", with_text=False)
        home = HomePage(
            title="Chợ OCOP Hà Tĩnh", slug="trang-chu", hero_title="Đặc sản OCOP Hà Tĩnh",
            hero_subtitle="Mua trực tiếp từ hợp tác xã, hộ kinh doanh khắp 69 xã, phường; thanh toán không "
                          "dùng tiền mặt, hóa đơn điện tử cho mọi đơn hàng.",
            hero_image=hero, hero_cta_text="Khám phá sản phẩm", hero_cta_url="/catalogue/",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        created += 1
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Chợ OCOP Hà Tĩnh")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Chợ OCOP Hà Tĩnh"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    if not home.featured_products.exists():
        for order, product in enumerate(featured_products):
            FeaturedProduct.objects.create(page=home, product=product, sort_order=order)

    news_index = _child(home, NewsIndexPage, "tin-tuc", title="Tin tức",
                        intro="<p>Tin tức về sản phẩm OCOP và thương mại điện tử Hà Tĩnh.</p>")
    start = datetime.date(2026, 10, 1)
    for i, (slug, title, intro, body) in enumerate(NEWS):
        if not NewsPage.objects.child_of(news_index).filter(slug=slug).exists():
            _child(news_index, NewsPage, slug, title=title, intro=intro, date=start + datetime.timedelta(days=7 * i),
                   image=_banner(title[:40], "Tin tức OCOP Hà Tĩnh", slug) if i < 3 else None,
                   body=_paragraphs([intro, body]))
            created += 1
    guide_index = _child(home, GuideIndexPage, "huong-dan", title="Hướng dẫn",
                         intro="<p>Hướng dẫn cho người mua, người bán và tổ công nghệ số cộng đồng.</p>")
    for slug, title, audience, intro, lines in GUIDES:
        if not GuidePage.objects.child_of(guide_index).filter(slug=slug).exists():
            _child(guide_index, GuidePage, slug, title=title, audience=audience, intro=intro,
                   body=[("heading", title)] + _paragraphs(lines))
            created += 1
    _child(home, StandardPage, "gioi-thieu", title="Giới thiệu",
           body=_paragraphs(["Chợ OCOP Hà Tĩnh là sàn thương mại điện tử của tỉnh dành cho sản phẩm OCOP và đặc "
                             "sản địa phương, do Sở Công Thương tỉnh Hà Tĩnh vận hành."]))
    site = Site.objects.get(is_default_site=True)
    contact = DepartmentContact.for_site(site)
    if not contact.address:
        contact.organisation = "Sở Công Thương tỉnh Hà Tĩnh"
        contact.address = "Số 02 Nguyễn Chí Thanh, phường Thành Sen, tỉnh Hà Tĩnh"
        contact.email = "socongthuong@hatinh.gov.vn"
        contact.working_hours = "Thứ Hai – Thứ Sáu, 7:30–17:00"
        contact.save()
    return home, created
