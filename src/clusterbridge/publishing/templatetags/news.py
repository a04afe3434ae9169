from django import template

from clusterbridge.core.bilingual import pick
from clusterbridge.publishing.markup import summary

register = template.Library()


@register.simple_tag
def post_title(post) -> str:
    return pick(post.title_en, post.title_zh).text


@register.simple_tag
def post_summary(post, length: int = 200) -> str:
    return summary(pick(post.body_en, post.body_zh).text, length)
