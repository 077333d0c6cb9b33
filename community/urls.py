"""URLs of the community app, mounted by config/urls.py.

``api_urlpatterns`` sit under /api/v1/community/ (no language prefix); ``urlpatterns`` sit inside
the language prefix (/en/community/…) for what is not a page route: the e-mails' links.
Threads themselves are routed by ``CommunityIndexPage`` (e.g. /en/community/12-title/).
"""

from django.urls import path

from . import api, unsubscribe

api_urlpatterns = [
    path("threads/", api.ThreadListView.as_view(), name="community_api_threads"),
    path("threads/similar/", api.SimilarView.as_view(), name="community_api_similar"),
    path("threads/<int:pk>/", api.ThreadDetailView.as_view(), name="community_api_thread"),
    path("threads/<int:pk>/answers/", api.AnswerView.as_view(), name="community_api_answer"),
    path("threads/<int:pk>/accept/", api.AcceptView.as_view(), name="community_api_accept"),
    path("threads/<int:pk>/follow/", api.FollowView.as_view(), name="community_api_follow"),
    path("threads/<int:pk>/promote/", api.PromoteView.as_view(), name="community_api_promote"),
    path("votes/", api.VoteView.as_view(), name="community_api_vote"),
    path("moderation/", api.ModerateView.as_view(), name="community_api_moderate"),
]
urlpatterns = [
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe_view, name="community_unsubscribe"),
    path("unfollow/<str:token>/", unsubscribe.unfollow_view, name="community_unfollow"),
]
