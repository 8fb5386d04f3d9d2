from django.urls import reverse
from samkalk.apps.accounts.models import Role
def test_probe(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    for name, kw in [("web:product_list", {}), ("web:price_calculation", {"product_id": federation.products["natanslutning"].pk}), ("web:budget", {}), ("web:staff_budget", {}), ("web:member_forecast", {"member_id": federation.alfa.pk})]:
        r = client.get(reverse(name, kwargs=kw))
        html = r.content.decode()
        print("=====", name, r.status_code)
        print(html[html.index('<main'):html.index('</main>')])
