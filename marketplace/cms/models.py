"""Content pages the department edits in Wagtail (/cms/): home, news and guides.

Products stay Oscar's; the home page only points at them (featured products) and reads the
product groups from the catalogue.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock
from .validators import validate_safe_link


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=200)
    hero_subtitle = models.TextField(_("hero subtitle"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("hero image"),
    )
    hero_cta_text = models.CharField(_("button text"), max_length=64, blank=True)
    hero_cta_url = models.CharField(_("button link"), max_length=255, blank=True, validators=[validate_safe_link])
    featured_title = models.CharField(_("featured products title"), max_length=128, default="Sản phẩm OCOP nổi bật")
    groups_title = models.CharField(_("product groups title"), max_length=128, default="Nhóm sản phẩm OCOP")
    news_title = models.CharField(_("news title"), max_length=128, default="Tin tức")
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("more content"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_subtitle"), FieldPanel("hero_image"),
             FieldPanel("hero_cta_text"), FieldPanel("hero_cta_url")],
            heading=_("Hero"),
        ),
        FieldPanel("featured_title"),
        InlinePanel("featured_products", label=_("Featured products"), max_num=24),
        FieldPanel("groups_title"),
        FieldPanel("news_title"),
        FieldPanel("body"),
    ]
    subpage_types = ["cms.NewsIndexPage", "cms.GuideIndexPage", "cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalogue import selectors
        from marketplace.pagecache import shared

        ctx = super().get_context(request, *args, **kwargs)
        featured_ids = [f.product_id for f in self.featured_products.all()]
        products = {p.pk: p for p in selectors.with_card_data(
            selectors.browsable_products().filter(pk__in=featured_ids))}
        ctx["featured"] = [products[pk] for pk in featured_ids if pk in products]
        ctx["product_groups"] = shared("home:product-groups", selectors.product_groups_with_counts)
        ctx["latest_news"] = (
            NewsPage.objects.live().public().descendant_of(self).order_by("-date", "-first_published_at")[:3]
        )
        return ctx


class FeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("product"))

    panels = [FieldPanel("product")]


class NewsIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        ctx = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-first_published_at")
        ctx["news"] = Paginator(news, 12).get_page(request.GET.get("page"))
        return ctx


class NewsPage(Page):
    date = models.DateField(_("date"))
    intro = models.CharField(_("summary"), max_length=300, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("date"), FieldPanel("intro"), FieldPanel("image"), FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")


class GuideIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.GuidePage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("guide index")


class GuidePage(Page):
    """How-to pages, e.g. "Hướng dẫn bán hàng trên sàn" for sellers and community teams."""

    AUDIENCE_CHOICES = [("seller", _("Sellers")), ("shopper", _("Shoppers")), ("all", _("Everyone"))]
    audience = models.CharField(_("audience"), max_length=16, choices=AUDIENCE_CHOICES, default="all")
    intro = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("audience"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide")


class StandardPage(Page):
    """About, terms, privacy and other plain pages."""

    body = StreamField(BodyBlock(), verbose_name=_("body"))
    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="tick-inverse")
class MarketplaceRules(BaseSiteSetting):
    """Rules the department sets without a release."""

    listing_moderation = models.BooleanField(
        _("moderate listings"), default=True,
        help_text=_("New products and changes to a product's description wait for the department's approval."),
    )

    panels = [FieldPanel("listing_moderation")]

    class Meta:
        verbose_name = _("marketplace rules")


class CachedSiteSetting(BaseSiteSetting):
    """A site setting every page shows, read from the cache instead of two queries a request (the site for
    the request's host, then the setting): one cache entry per model holds the setting of each host and
    port asked so far; ``marketplace/signals.py`` deletes it when the setting or a site changes (the TTL,
    settings.SITE_SETTING_CACHE_SECONDS, bounds a change racing a request that read the old one)."""

    class Meta:
        abstract = True

    @classmethod
    def cache_key(cls):
        return f"site-setting:{cls._meta.label_lower}"

    @classmethod
    def for_request(cls, request):
        from django.conf import settings
        from django.core.cache import cache
        from django.http.request import split_domain_port

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        seconds = settings.SITE_SETTING_CACHE_SECONDS
        if not seconds:
            return super().for_request(request)
        host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
        by_host = cache.get(cls.cache_key()) or {}
        instance = by_host.get(host)
        if instance is None:
            instance = super().for_request(request)
            cache.set(cls.cache_key(), {**by_host, host: instance}, seconds)
        else:
            instance._request = request
            setattr(request, attr_name, instance)
        return instance


@register_setting(icon="site")
class DepartmentContact(CachedSiteSetting):
    """The department's contact shown in the footer of every page."""

    organisation = models.CharField(_("organisation"), max_length=255,
                                    default="Sở Công Thương tỉnh Hà Tĩnh")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hotline = models.CharField(_("hotline"), max_length=32, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=128, blank=True)

    panels = [FieldPanel("organisation"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("hotline"),
              FieldPanel("email"), FieldPanel("working_hours")]

    class Meta:
        verbose_name = _("department contact")
