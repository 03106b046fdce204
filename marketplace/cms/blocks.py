from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .validators import validate_safe_link


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"))
    link_url = blocks.CharBlock(label=_("Link"), required=False, validators=[validate_safe_link])
    link_text = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "pick"
        template = "cms/blocks/callout.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    callout = CalloutBlock(label=_("Callout"))
