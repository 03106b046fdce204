"""Demo accounts and the role groups of DESIGN.md §5."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from marketplace.roles import COMMUNITY_GROUP, DEPARTMENT_GROUP  # noqa: E402  (re-exported for callers)

DEMO_USERS = {
    "admin": ("admin@ocop-hatinh.local", "Admin@12345", "Quản trị viên"),
    "seller": ("nguoiban@ocop-hatinh.local", "NguoiBan@12345", "Người bán (demo)"),
    "department": ("socongthuong@ocop-hatinh.local", "SoCongThuong@12345", "Sở Công Thương (demo)"),
    "assistant": ("tocongnghe@ocop-hatinh.local", "ToCongNghe@12345", "Tổ công nghệ số cộng đồng (demo)"),
}


def _user(key, **flags):
    email, password, name = DEMO_USERS[key]
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=key, email=email, first_name=name, **flags)
        user.set_password(password)  # only on creation: re-running must not change anything
        user.save()
        return user, True
    return user, False


def department_group(home):
    group, _ = Group.objects.get_or_create(name=DEPARTMENT_GROUP)
    perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailadmin", "cms", "wagtailimages", "wagtaildocs", "privacy"],
        codename__in=["access_admin", "change_departmentcontact", "add_image", "change_image", "choose_image",
                      "add_document", "change_document", "choose_document",
                      "add_privacynotice", "change_privacynotice"],  # the personal data notice (snippet)
    )
    group.permissions.add(*perms)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    root_collection = Collection.get_first_root_node()
    for codename in ("add_image", "change_image", "choose_image", "add_document", "change_document",
                     "choose_document"):
        for permission in Permission.objects.filter(codename=codename):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection,
                                                            permission=permission)
    return group


def load_users(home, seller_vendor):
    community, _ = Group.objects.get_or_create(name=COMMUNITY_GROUP)
    created = 0
    admin, new = _user("admin", is_staff=True, is_superuser=True)
    created += new
    seller, new = _user("seller")
    created += new
    # Sellers work in /ban-hang/; an earlier demo gave them Oscar's dashboard, which skips moderation.
    seller.user_permissions.remove(Permission.objects.get(codename="dashboard_access", content_type__app_label="partner"))
    seller_vendor.partner.users.add(seller)
    _sign_invoicing_authorisation(seller_vendor, seller)
    department, new = _user("department", is_staff=True)
    created += new
    department.groups.add(department_group(home))
    assistant, new = _user("assistant")
    created += new
    assistant.groups.add(community)
    return created


def _sign_invoicing_authorisation(vendor, user):
    """The demo seller lets the marketplace issue its e-invoices (sales invoices, produce not subject to VAT)."""
    from django.utils import timezone

    from invoicing.models import SellerInvoicingProfile

    if SellerInvoicingProfile.objects.filter(vendor=vendor).exists():
        return
    SellerInvoicingProfile.objects.create(
        vendor=vendor, mode=SellerInvoicingProfile.MODE_AUTHORISED, vat_method=SellerInvoicingProfile.METHOD_DIRECT,
        management_code="YY", default_vat_rate="KCT", authorised_at=timezone.now(), authorised_by=user,
        authorisation_scope="Hóa đơn điện tử cho các đơn hàng bán trên Chợ OCOP Hà Tĩnh",
    )
