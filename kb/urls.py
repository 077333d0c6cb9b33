from django.urls import path

from . import views

app_name = "kb"
urlpatterns = [
    path("feedback/article/<int:page_id>/", views.article_feedback, name="article_feedback"),
]
