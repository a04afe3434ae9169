from django import template
from django.utils.translation import get_language

from clusterbridge.publishing.markup import summary

register = template.Library()


def _zh() -> bool:
    return (get_language() or "en").startswith("zh")


@register.simple_tag
def post_title(post) -> str:
    return (post.title_zh or post.title_en) if _zh() else (post.title_en or post.title_zh)


@register.simple_tag
def post_summary(post, length: int = 200) -> str:
    return summary((post.body_zh or post.body_en) if _zh() else (post.body_en or post.body_zh), length)
