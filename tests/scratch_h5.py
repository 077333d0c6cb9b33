from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from kb.models import ArticlePage


def test_dump(client, help_centre, django_user_model):
    u = django_user_model.objects.create_superuser("admin", "a@x.test", "pw")
    client.force_login(u)
    es = help_centre.public_es
    r = client.get(f"/admin/pages/{es.pk}/edit/")
    html = r.content.decode()
    q = querydict_from_html(html, form_id="page-edit-form")
    q.pop("audience_groups")
    items = []
    for b in es.body.raw_data:
        if b["type"] == "paragraph":
            items.append(("paragraph", rich_text(b["value"])))
        else:
            items.append((b["type"], b["value"]))
    q.update(nested_form_data({"body": streamfield(items)}))
    q["translation_up_to_date"] = "on"
    q["action-publish"] = "action-publish"
    r = client.post(f"/admin/pages/{es.pk}/edit/", q)
    print(r.status_code, r.headers.get("Location"))
    if r.status_code == 200:
        c = r.content.decode()
        import re
        print(re.findall(r'error[^<]{0,200}', c)[:20])
    es = ArticlePage.objects.get(pk=es.pk)
    print(es.source_synced_at, es.last_published_at, es.translation_is_stale, es.body.raw_data)
