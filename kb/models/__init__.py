"""The help centre's content model: pages (home, category, article), audiences and feedback."""

from .audience import Audience, CustomerGroup, ProductArea
from .feedback import ArticleDailyViews, ArticleFeedback
from .pages import ArticlePage, ArticlePageTag, ArticleRelatedLink, CategoryPage, HelpCentrePage

__all__ = [
    "ArticleDailyViews",
    "ArticleFeedback",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleRelatedLink",
    "Audience",
    "CategoryPage",
    "CustomerGroup",
    "HelpCentrePage",
    "ProductArea",
]
