"""The caps on what an object may hold (core/write's write_cap, checked inside the write): an
incident's tasks (200) and links (200), a session's links (50), an org's enabled webhooks (20)
and its inventory (2,000 items, filled through the CSV import).
At the cap the next create is refused with 409 naming the cap, and nothing is written; one
removed, the place is free again (webhooks)."""

import unittest

from harness import ServerCase, db_scalar


class CapsTest(ServerCase):
    DB = "demo"

    def fill(self, client, path, body_of, start, cap, count_sql, param):
        """POSTs body_of(i) to path until count_sql gives cap; then one more must be refused."""
        for i in range(start, cap):
            r = client.post(path, body_of(i))
            self.assertEqual(r.status, 201, r)
        self.assertEqual(db_scalar(self.db, count_sql, (param,)), cap)
        audit = db_scalar(self.db, "SELECT count(*) FROM audit_log")
        r = client.post(path, body_of(cap))
        self.assertError(r, 409, "conflict")
        self.assertIn("at most %d" % cap, r.error["message"])
        self.assertEqual(db_scalar(self.db, count_sql, (param,)), cap, "nothing written")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log"), audit)

    def incident(self, client, title):
        r = client.post("/api/v1/incidents", {
            "title": title, "rsit_class": "fraud", "rsit_type": "phishing", "severity": "low"})
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def test_an_incident_holds_at_most_200_tasks(self):
        rep = self.demo_client("reporter", "pb-health")
        inc = self.incident(rep, "Caps: tasks")
        self.fill(rep, "/api/v1/incidents/%s/tasks" % inc, lambda i: {"title": "Task %d" % i},
                  0, 200, "SELECT count(*) FROM incident_tasks WHERE incident_id = ?", inc)

    def test_an_incident_holds_at_most_200_links(self):
        rep = self.demo_client("reporter", "pb-health")
        inc = self.incident(rep, "Caps: links")
        others = [self.incident(rep, "Caps: linked %d" % i) for i in range(201)]
        self.fill(rep, "/api/v1/incidents/%s/links" % inc,
                  lambda i: {"incident_id": others[i], "reason": "the same campaign"}, 0, 200,
                  "SELECT count(*) FROM incident_links WHERE a_id = ?1 OR b_id = ?1", inc)

    def test_a_session_holds_at_most_50_links(self):
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.post("/api/v1/trainings", {
            "title": "Caps: links", "mode": "virtual", "starts_at": "2030-01-10T09:00:00Z",
            "ends_at": "2030-01-10T12:00:00Z", "meeting_url": "https://meet.rabta.test/caps"})
        self.assertEqual(r.status, 201, r)
        tid = r.json["id"]
        self.fill(pa, "/api/v1/trainings/%s/links" % tid,
                  lambda i: {"title": "Slides %d" % i, "url": "https://docs.rabta.test/%d" % i},
                  0, 50, "SELECT count(*) FROM training_links WHERE training_id = ?", tid)

    def test_an_org_has_at_most_20_webhooks(self):
        admin = self.demo_client("admin", "sindh-cert")
        org = admin.get("/api/v1/me").json["org"]["id"]
        sql = "SELECT count(*) FROM webhooks WHERE org_id = ? AND enabled = 1"
        start = db_scalar(self.db, sql, (org,))
        path = "/api/v1/orgs/%s/webhooks" % org
        body = lambda i: {"url": "https://hooks.example.org/caps/%d" % i, "events": ["*"]}
        self.fill(admin, path, body, start, 20, sql, org)
        # One removed frees its place.
        hook = admin.get(path).json["items"][0]["id"]
        self.assertEqual(admin.delete("%s/%s" % (path, hook)).status, 204)
        r = admin.post(path, body(99))
        self.assertEqual(r.status, 201, r)

    def test_an_inventory_holds_at_most_2000_items(self):
        rep = self.demo_client("reporter", "khi-port")
        org = rep.get("/api/v1/me").json["org"]["id"]
        sql = "SELECT count(*) FROM inventory WHERE org_id = ?"
        n = db_scalar(self.db, sql, (org,))
        rows = "".join("Caps Vendor,Product %d,1.%d\r\n" % (i, i) for i in range(2000 - n))
        r = rep.request("POST", "/api/v1/orgs/%s/inventory/import" % org,
                        raw=("vendor,product,version\r\n" + rows).encode("utf-8"),
                        headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        self.fill(rep, "/api/v1/orgs/%s/inventory" % org,
                  lambda i: {"vendor": "Caps Vendor", "product": "One more", "version": "2"},
                  2000, 2000, sql, org)


if __name__ == "__main__":
    unittest.main()
