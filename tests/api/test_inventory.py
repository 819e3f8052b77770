"""Each org's inventory of the products it runs: what makes an org "likely affected" by an advisory.

The story: Punjab Health's focal person declares what the directorate runs, one product at a time
and then from a spreadsheet exported as CSV; a bad file stores nothing and says which line and
which field are wrong; a file can replace the whole inventory; what is exported imports again to
the same inventory. Punjab CERT and the National CERT above it read the inventory but may not
change it (it is the institution's own declaration); a sibling institution, another province and
the institutions below a CERT get 404; a viewer gets 403. Every write is audited.
"""

import csv
import io
import os
import re

from harness import (ServerCase, cli_ok, csv_file, db_query, db_scalar, demo_email, run_cli,
                     RFC3339_RE, UUID_RE)

ITEM_KEYS = {"id", "org_id", "vendor", "product", "version", "cpe", "purl", "created_by",
             "created_at", "updated_at"}
EXCHANGE = {"vendor": "Microsoft", "product": "Exchange Server", "version": "2019 CU12",
            "cpe": "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*"}
FORTIOS = {"vendor": "Fortinet", "product": "FortiOS", "version": "7.2.4",
           "cpe": "cpe:/o:fortinet:fortios:7.2.4"}
HTTPD = {"vendor": "Apache Software Foundation", "product": "Apache HTTP Server",
         "version": "2.4.57", "purl": "pkg:generic/apache/httpd@2.4.57"}


def csv_body(rows, header=("vendor", "product", "version", "cpe", "purl")):
    return csv_file(header, rows).encode("utf-8")


class TestInventory(ServerCase):

    @classmethod
    def prepare_db(cls):
        cls.viewer = "viewer@pb-health.rabta.test"
        cli_ok("user", "add", "--db", cls.db, "--org", cls.org_of("pb-health"), "--email",
               cls.viewer, "--role", "viewer", "--password-stdin", input="viewer-password-2026")

    def path(self, slug, tail=""):
        return "/api/v1/orgs/%s/inventory%s" % (self.org_of(slug), tail)

    def items(self, slug, who=None, query=""):
        c = who or self.demo_client("analyst", "punjab-cert")
        r = c.get(self.path(slug, "?limit=500" + query))
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json["next_cursor"])
        return r.json["items"]

    def rows(self, slug):
        return db_scalar(self.db, "SELECT count(*) FROM inventory WHERE org_id = ?",
                         (self.org_of(slug),))

    def audit_head(self):
        return db_scalar(self.db, "SELECT max(seq) FROM audit_log")

    def import_csv(self, who, slug, body, query="", ctype="text/csv"):
        return who.request("POST", self.path(slug, "/import" + query), raw=body,
                           headers={"Content-Type": ctype})

    def test_add_list_change_remove(self):
        """The focal person adds three products, reads them back in order, changes one, clears an
        optional member and removes one; each write is one audit entry about the org's
        inventory."""
        rep = self.demo_client("reporter", "pb-finance")
        org = self.org_of("pb-finance")
        head = self.audit_head()
        made = {}
        for item in (FORTIOS, EXCHANGE, HTTPD):
            r = rep.post(self.path("pb-finance"), item)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(set(r.json), ITEM_KEYS)
            self.assertRegex(r.json["id"], UUID_RE)
            self.assertEqual(r.json["org_id"], org)
            for k in ("vendor", "product", "version"):
                self.assertEqual(r.json[k], item[k])
            self.assertEqual(r.json["cpe"], item.get("cpe"))
            self.assertEqual(r.json["purl"], item.get("purl"))
            self.assertEqual(r.json["created_by"], demo_email("reporter", "pb-finance"))
            self.assertRegex(r.json["created_at"], RFC3339_RE)
            self.assertEqual(r.json["updated_at"], r.json["created_at"])
            made[item["product"]] = r.json["id"]
        listed = self.items("pb-finance", rep)
        self.assertEqual([(i["vendor"], i["product"]) for i in listed],
                         [("Apache Software Foundation", "Apache HTTP Server"),
                          ("Fortinet", "FortiOS"), ("Microsoft", "Exchange Server")])
        # ?q= looks in vendor and product, without case; pages follow the same order.
        self.assertEqual([i["product"] for i in self.items("pb-finance", rep, "&q=FORTI")],
                         ["FortiOS"])
        self.assertEqual([i["product"] for i in self.items("pb-finance", rep, "&q=server")],
                         ["Apache HTTP Server", "Exchange Server"])
        got, pages = rep.list_all(self.path("pb-finance"), limit=1)
        self.assertEqual([i["id"] for i in got], [i["id"] for i in listed])
        self.assertEqual(len(pages), 3)
        # A cursor that is no item of the inventory (of another org, or none at all).
        other = self.items("pb-health", self.demo_client("reporter", "pb-health"))[0]["id"]
        for cursor in (other, "00000000-0000-4000-8000-000000000000", "x"):
            r = rep.get(self.path("pb-finance", "?cursor=" + cursor))
            self.assertEqual(r.status, 422, r)
        for bad in ("%01", "%FF", "x" * 501):
            r = rep.get(self.path("pb-finance", "?q=" + bad))
            self.assertError(r, 422, "invalid_field", "q")

        # A change: the new version, the CPE cleared with "".
        ex = made["Exchange Server"]
        r = rep.patch(self.path("pb-finance", "/" + ex), {"version": "2019 CU13", "cpe": ""})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["vendor"], r.json["product"], r.json["version"], r.json["cpe"]),
                         ("Microsoft", "Exchange Server", "2019 CU13", None))
        self.assertGreaterEqual(r.json["updated_at"], r.json["created_at"])
        r = rep.patch(self.path("pb-finance", "/" + ex), {})
        self.assertError(r, 422, "invalid_field", None)
        r = rep.patch(self.path("pb-finance", "/" + ex), {"product": " "})
        self.assertError(r, 422, "invalid_field", "product")

        r = rep.delete(self.path("pb-finance", "/" + made["FortiOS"]))
        self.assertEqual(r.status, 204, r)
        r = rep.delete(self.path("pb-finance", "/" + made["FortiOS"]))
        self.assertEqual(r.status, 404, r)
        self.assertEqual([i["product"] for i in self.items("pb-finance", rep)],
                         ["Apache HTTP Server", "Exchange Server"])
        entries = db_query(self.db, "SELECT action, object_kind, object_id, org_id FROM audit_log "
                                    "WHERE seq > ? AND object_kind = 'inventory' ORDER BY seq",
                           (head,))
        self.assertEqual(entries, [("inventory.add", "inventory", org, org)] * 3
                         + [("inventory.update", "inventory", org, org),
                            ("inventory.remove", "inventory", org, org)])
        # The audit trail names the object by the org's name.
        adm = self.demo_client("admin", "pb-finance")
        r = adm.get("/api/v1/audit?object_kind=inventory&object_id=" + org)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["action"] for e in r.json["items"]][:2],
                         ["inventory.remove", "inventory.update"])
        self.assertEqual(r.json["items"][0]["object_name"], "Punjab Finance Department")

    def test_duplicates_and_bad_items_write_nothing(self):
        """The same vendor, product and version twice (whatever the case) is a conflict; an
        item that breaks a rule is refused naming the member, and nothing is written."""
        rep = self.demo_client("reporter", "pb-landrecords")
        r = rep.post(self.path("pb-landrecords"), {"vendor": "Cisco", "product": "IOS XE",
                                                   "version": "17.9.3"})
        self.assertEqual(r.status, 201, r)
        first = r.json["id"]
        before = (self.rows("pb-landrecords"), self.audit_head())
        r = rep.post(self.path("pb-landrecords"), {"vendor": "CISCO", "product": "ios xe",
                                                   "version": "17.9.3"})
        self.assertError(r, 409, "conflict", msg_has="already has")
        bad = [
            ({"product": "IOS XE"}, "vendor"),
            ({"vendor": "", "product": "IOS XE"}, "vendor"),
            ({"vendor": "Cisco"}, "product"),
            ({"vendor": "Cisco", "product": "IOS XE", "cpe": "cpe:2.3:o:cisco:ios_xe"}, "cpe"),
            ({"vendor": "Cisco", "product": "IOS XE", "cpe": "cisco ios xe"}, "cpe"),
            ({"vendor": "Cisco", "product": "IOS XE", "cpe": "cpe:/x:cisco:ios_xe"}, "cpe"),
            ({"vendor": "Cisco", "product": "IOS XE", "purl": "pkg:npm"}, "purl"),
            ({"vendor": "Cisco", "product": "IOS XE", "purl": "https://cisco.com"}, "purl"),
            ({"vendor": "Cisco", "product": "IOS XE", "purl": "pkg:1abc/name"}, "purl"),
            ({"vendor": "V" * 201, "product": "IOS XE"}, "vendor"),
            ({"vendor": "Cisco", "product": "P" * 501}, "product"),
            ({"vendor": "Cisco", "product": "IOS XE", "version": "9" * 65}, "version"),
            ({"vendor": "Cisco", "product": "IOS\nXE"}, "product"),
            ({"vendor": "Cisco", "product": "IOS XE", "version": 17}, "version"),
        ]
        for body, field in bad:
            with self.subTest(body=str(body)[:80]):
                r = rep.post(self.path("pb-landrecords"), body)
                self.assertError(r, 422, "invalid_field", field)
        r = rep.post(self.path("pb-landrecords"), {"vendor": "Cisco", "product": "IOS XE",
                                                   "colour": "blue"})
        self.assertIn(r.status, (400, 422), r)
        # A change into a duplicate, and a change of an item of another org.
        r = rep.post(self.path("pb-landrecords"), {"vendor": "Cisco", "product": "IOS XE",
                                                   "version": "17.9.4"})
        self.assertEqual(r.status, 201, r)
        before = (self.rows("pb-landrecords"), self.audit_head())
        r = rep.patch(self.path("pb-landrecords", "/" + r.json["id"]), {"version": "17.9.3"})
        self.assertError(r, 409, "conflict")
        r = rep.patch(self.path("pb-landrecords", "/" + first), {"vendor": "V" * 201})
        self.assertError(r, 422, "invalid_field", "vendor")
        other = self.demo_client("reporter", "pb-finance")
        r = other.patch(self.path("pb-finance", "/" + first), {"version": "1"})
        self.assertEqual(r.status, 404, r)
        r = other.delete(self.path("pb-finance", "/" + first))
        self.assertEqual(r.status, 404, r)
        self.assertEqual((self.rows("pb-landrecords"), self.audit_head()), before)
        # Valid names of both CPE bindings and a package URL with a namespace are taken.
        for body in ({"cpe": "cpe:2.3:o:cisco:ios_xe:17.9.3:*:*:*:*:*:*:*"},
                     {"cpe": "cpe:/o:cisco:ios_xe:17.9.3"},
                     {"cpe": "cpe:2.3:a:vendor\\:x:prod:1:*:*:*:*:*:*:*"},
                     {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
                     {"purl": "pkg:deb/debian/openssl@3.0.11?arch=amd64"}):
            r = rep.patch(self.path("pb-landrecords", "/" + first), body)
            self.assertEqual(r.status, 200, (body, r))

    def test_csv_import_good(self):
        """Columns in any order, quoted fields, empty optional cells; rows already in the
        inventory or twice in the file are skipped and counted."""
        rep = self.demo_client("reporter", "pb-emergency")
        r = rep.post(self.path("pb-emergency"), {"vendor": "Siemens", "product": "SIMATIC WinCC",
                                                 "version": "V7.5"})
        self.assertEqual(r.status, 201, r)
        head = self.audit_head()
        body = csv_body([
            ("pkg:generic/apache/httpd@2.4.57", "2.4.57", "Apache HTTP Server",
             "Apache Software Foundation", ""),
            ("", "V7.5", "simatic wincc", "SIEMENS", ""),                     # already there
            ("", "17.9.3", "IOS XE", "Cisco", "cpe:/o:cisco:ios_xe:17.9.3"),
            ("", "17.9.3", "IOS XE", "cisco", ""),                           # twice in the file
            ("", "", "Relion 670/650, \"series\"", "Hitachi Energy", ""),
        ], header=("purl", "version", "product", "vendor", "cpe"))
        r = self.import_csv(rep, "pb-emergency", body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"rows": 5, "added": 3, "duplicates": 2, "removed": 0,
                                  "items": 4})
        got = {(i["vendor"], i["product"], i["version"], i["cpe"], i["purl"])
               for i in self.items("pb-emergency")}
        self.assertEqual(got, {
            ("Apache Software Foundation", "Apache HTTP Server", "2.4.57", None,
             "pkg:generic/apache/httpd@2.4.57"),
            ("Siemens", "SIMATIC WinCC", "V7.5", None, None),
            ("Cisco", "IOS XE", "17.9.3", "cpe:/o:cisco:ios_xe:17.9.3", None),
            ("Hitachi Energy", "Relion 670/650, \"series\"", "", None, None)})
        self.assertEqual(db_query(self.db, "SELECT action, object_id FROM audit_log WHERE seq > ? "
                                  "AND action LIKE 'inventory.%'",
                                  (head,)),
                         [("inventory.import", self.org_of("pb-emergency"))])
        # A header alone adds nothing; a UTF-8 byte order mark and LF line ends are read.
        r = self.import_csv(rep, "pb-emergency", b"vendor,product\r\n")
        self.assertEqual(r.json, {"rows": 0, "added": 0, "duplicates": 0, "removed": 0,
                                  "items": 4})
        r = self.import_csv(rep, "pb-emergency",
                            "\ufeffVendor,Product\nMitsubishi Electric,MELSEC iQ-R Series\n"
                            .encode("utf-8"), ctype="text/plain; charset=utf-8")
        self.assertEqual((r.status, r.json["added"], r.json["items"]), (200, 1, 5), r)

    def test_csv_import_bad_stores_nothing(self):
        """A bad file is refused as a whole: the answer names the line and the field of the first
        problem and says how many rows are bad; nothing is stored and nothing audited."""
        rep = self.demo_client("reporter", "ajk-disaster")
        r = rep.post(self.path("ajk-disaster"), {"vendor": "Schneider Electric",
                                              "product": "EcoStruxure Geo SCADA Expert"})
        self.assertEqual(r.status, 201, r)
        before = (self.rows("ajk-disaster"), self.audit_head())
        good = ("Rockwell Automation", "ThinManager ThinServer", "13.0.1", "", "")
        cases = [
            # a bad CPE on line 3 (field 4), another bad row on line 4
            (csv_body([good, ("Siemens", "SCALANCE X", "", "cpe:2.3:h:siemens", ""),
                       ("", "Nameless", "", "", "")]),
             "line 3, field 4", "2 of the file's 3 rows are bad"),
            (csv_body([good, ("Siemens", "SCALANCE X", "", "", "pkg:")]),
             "line 3, field 5", "purl"),
            (csv_body([good, ("Siemens", "", "", "", "")]), "line 3, field 2", "product"),
            (csv_body([good, ("V" * 201, "X", "", "", "")]), "line 3, field 1", "vendor"),
            (csv_body([good], header=("vendor", "product", "colour", "cpe", "purl")),
             "line 1, field 3", "colour"),
            (csv_body([good], header=("vendor", "version", "version", "cpe", "purl")),
             "line 1, field 3", "twice"),
            (b"vendor,version\r\nSiemens,1\r\n", "line 1", "product"),
            (b"vendor,product\r\nSiemens,\"SIMATIC\r\n", "line 2, field 2", None),
            (b"vendor,product\r\nSiemens\r\n", "line 2", None),
            (b"", "line 1", "header"),
        ]
        for body, field, msg in cases:
            with self.subTest(field=field, msg=msg):
                r = self.import_csv(rep, "ajk-disaster", body, "?replace=1")
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.error["code"], "invalid_field", r)
                self.assertTrue(r.error.get("field", "").startswith(field), r)
                if msg:
                    self.assertIn(msg, r.error["message"], r)
                self.assertEqual((self.rows("ajk-disaster"), self.audit_head()), before)
        r = self.import_csv(rep, "ajk-disaster", csv_body([good]), "?replace=yes")
        self.assertError(r, 422, "invalid_field", "replace")
        r = self.import_csv(rep, "ajk-disaster", b'{"vendor": "x"}', ctype="application/json")
        self.assertEqual(r.status, 415, r)
        self.assertEqual((self.rows("ajk-disaster"), self.audit_head()), before)

    def test_replace_and_export_round_trip(self):
        """replace=1 makes the inventory the file's; the export is the import's columns, guarded
        against formulas, and importing it into another org gives the same items."""
        rep = self.demo_client("reporter", "fed-pensions")
        for item in (EXCHANGE, FORTIOS):
            self.assertEqual(rep.post(self.path("fed-pensions"), item).status, 201)
        rows = [("Hitachi Energy", "RTU500 series CMU Firmware", "12.7.1", "", ""),
                ("Siemens", "SIMATIC S7-1500 CPU 1518-4 PN/DP MFP (6ES7518-4AX00-1AB0)",
                 "V2.9.4", "cpe:2.3:h:siemens:simatic_s7-1500_cpu_1518-4_pn\\/dp_mfp:-:*:*:*:*:*:*:*",
                 ""),
                ("=HYPERLINK(\"http://x\")", "Formula, Inc.", "-1", "", ""),
                ("Mitsubishi Electric", "MELSEC iQ-R Series R04CPU", "", "", ""),
                ("Apache Software Foundation", "Log4j", "2.14.1", "",
                 "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")]
        r = self.import_csv(rep, "fed-pensions", csv_body(rows), "?replace=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"rows": 5, "added": 5, "duplicates": 0, "removed": 2,
                                  "items": 5})
        mine = self.items("fed-pensions", rep)
        self.assertEqual(sorted(i["product"] for i in mine), sorted(r[1] for r in rows))

        r = rep.get(self.path("fed-pensions", "/export"))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"), r.headers)
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="inventory-\d{4}-\d{2}-\d{2}\.csv"')
        text = r.body.decode("utf-8")
        table = list(csv.reader(io.StringIO(text)))
        self.assertEqual(table[0], ["vendor", "product", "version", "cpe", "purl"])
        self.assertEqual([t[1] for t in table[1:]], [i["product"] for i in mine])
        self.assertIn("'=HYPERLINK(\"http://x\")", [t[0] for t in table])  # guarded
        self.assertIn("'-1", [t[2] for t in table])

        # Into Sindh Education: the same items, but the guarded texts.
        edu = self.demo_client("reporter", "sd-education")
        r = self.import_csv(edu, "sd-education", r.body, "?replace=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["added"], 5)
        theirs = self.items("sd-education", self.demo_client("analyst", "sindh-cert"))
        key = lambda i: (i["vendor"].lstrip("'"), i["product"], i["version"].lstrip("'"),
                         i["cpe"], i["purl"])
        self.assertEqual(sorted(map(key, theirs)), sorted(map(key, mine)))
        # An empty inventory exports the header alone.
        r = self.demo_client("reporter", "sd-revenue").get(self.path("sd-revenue", "/export"))
        self.assertEqual((r.status, r.body), (200, b"vendor,product,version,cpe,purl\r\n"))

    def test_who_reads_and_who_writes(self):
        """The org and every CERT above it read; a sibling, another province and the orgs below
        get 404; a viewer and an ancestor CERT get 403 on every write; nothing is written."""
        rep = self.demo_client("reporter", "pb-health")
        # The demo's inventory of Punjab Health, and one more item.
        demo = {(i["vendor"], i["product"], i["version"]) for i in self.items("pb-health", rep)}
        self.assertIn(("Microsoft", "Exchange Server", "2019 CU12"), demo)
        self.assertEqual(len(demo), 6)
        r = rep.post(self.path("pb-health"), {"vendor": "Siemens", "product": "SINEC INS",
                                              "version": "V1.0 SP2"})
        self.assertEqual(r.status, 201, r)
        item = r.json["id"]
        r = self.demo_client("analyst", "punjab-cert").post(self.path("punjab-cert"), FORTIOS)
        self.assertEqual(r.status, 201, r)
        readers = [demo_email(r, "pb-health") for r in ("admin", "analyst", "reporter")]
        readers += [self.viewer, demo_email("admin", "punjab-cert"),
                    demo_email("analyst", "punjab-cert"), demo_email("admin", "ncert"),
                    demo_email("auditor", "ncert")]
        for email in readers:
            with self.subTest(reader=email):
                c = self.client(email)
                r = c.get(self.path("pb-health"))
                self.assertEqual(r.status, 200, r)
                self.assertIn(item, [i["id"] for i in r.json["items"]])
                r = c.get(self.path("pb-health", "/export"))
                self.assertEqual(r.status, 200, r)
        refused = [demo_email("admin", "pb-finance"), demo_email("reporter", "pb-finance"),
                   demo_email("analyst", "sindh-cert"), demo_email("reporter", "sd-health"),
                   demo_email("admin", "kp-cert")]
        for email in refused:
            with self.subTest(refused=email):
                c = self.client(email)
                for r in (c.get(self.path("pb-health")),
                          c.get(self.path("pb-health", "/export")),
                          c.post(self.path("pb-health"), EXCHANGE),
                          c.patch(self.path("pb-health", "/" + item), {"version": "1"}),
                          c.delete(self.path("pb-health", "/" + item)),
                          self.import_csv(c, "pb-health", csv_body([]))):
                    self.assertEqual(r.status, 404, r)
        # Below the owner: an institution does not read its CERT's inventory.
        r = rep.get(self.path("punjab-cert"))
        self.assertEqual(r.status, 404, r)
        before = (self.rows("pb-health"), self.audit_head())
        for email in (self.viewer, demo_email("admin", "punjab-cert"),
                      demo_email("analyst", "punjab-cert"), demo_email("admin", "ncert"),
                      demo_email("auditor", "ncert")):
            with self.subTest(writer=email):
                c = self.client(email)
                for r in (c.post(self.path("pb-health"), EXCHANGE),
                          c.patch(self.path("pb-health", "/" + item), {"version": "1"}),
                          c.delete(self.path("pb-health", "/" + item)),
                          self.import_csv(c, "pb-health", csv_body([]), "?replace=1")):
                    self.assertEqual(r.status, 403, r)
        self.assertEqual((self.rows("pb-health"), self.audit_head()), before)
        # No such org, and an id that is not one.
        for p in ("/api/v1/orgs/00000000-0000-4000-8000-000000000000/inventory",
                  "/api/v1/orgs/not-an-id/inventory"):
            r = self.client(demo_email("admin", "ncert")).get(p)
            self.assertEqual(r.status, 404, r)

    def test_at_most_2000_items(self):
        """An inventory holds 2,000 items: a file that would pass it is refused whole, and so is
        one more item; a file of more rows is refused before it is read."""
        rep = self.demo_client("reporter", "gb-tourism")
        big = csv_body([("Vendor %d" % (i % 7), "Product %d" % i, "1.%d" % i, "", "")
                        for i in range(2000)])
        r = self.import_csv(rep, "gb-tourism", big, "?replace=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["added"], r.json["items"]), (2000, 2000))
        before = (self.rows("gb-tourism"), self.audit_head())
        r = rep.post(self.path("gb-tourism"), EXCHANGE)
        self.assertError(r, 409, "conflict", msg_has="2000")
        r = self.import_csv(rep, "gb-tourism", csv_body([("Microsoft", "Exchange Server", "",
                                                             "", "")]))
        self.assertError(r, 409, "conflict", msg_has="2000")
        more = csv_body([("V", "P%d" % i, "", "", "") for i in range(2001)])
        r = self.import_csv(rep, "gb-tourism", more, "?replace=1")
        self.assertEqual(r.status, 413, r)
        self.assertEqual((self.rows("gb-tourism"), self.audit_head()), before)
        items, pages = rep.list_all(self.path("gb-tourism"), limit=500)
        self.assertEqual((len(items), len(pages)), (2000, 4))
        self.assertEqual(len({i["id"] for i in items}), 2000)
        # Emptied again for the other stories.
        r = self.import_csv(rep, "gb-tourism", b"vendor,product\r\n", "?replace=1")
        self.assertEqual((r.status, r.json["removed"], r.json["items"]), (200, 2000, 0))

    def test_cli_import(self):
        """rabta inventory import checks the whole file first and stores it in one write."""
        org = self.org_of("kp-education")
        path = os.path.join(self.tmp, "kp-health.csv")
        with open(path, "wb") as f:
            f.write(csv_body([("Ivanti", "Connect Secure", "22.4R2.2", "", ""),
                              ("Ivanti", "connect secure", "22.4r2.2", "", "")]))
        out = cli_ok("inventory", "import", "--db", self.db, "--org", org, "--json", path)
        self.assertEqual(out.count("\n"), 1, out)
        self.assertRegex(out, r'"added":1,"duplicates":1')
        self.assertEqual([i["product"] for i in self.items("kp-education",
                                                           self.demo_client("admin", "kp-cert"))],
                         ["Connect Secure"])
        with open(path, "wb") as f:
            f.write(csv_body([("Ivanti", "", "", "", ""), ("", "x", "", "", "")]))
        p = run_cli("inventory", "import", "--db", self.db, "--org", org, "--replace", path)
        self.assertEqual(p.returncode, 1, p)
        self.assertIn("line 2, field 2", p.stderr)
        self.assertIn("line 3, field 1", p.stderr)
        self.assertIn("nothing was imported", p.stderr)
        self.assertEqual(self.rows("kp-education"), 1)
        p = run_cli("inventory", "import", "--db", self.db, "--org",
                    "00000000-0000-4000-8000-000000000000", path)
        self.assertEqual(p.returncode, 1, p)
        with open(path, "wb") as f:
            f.write(csv_body([("F5", "BIG-IP", "17.1.0", "", "")]))
        out = cli_ok("inventory", "import", "--db", self.db, "--org", org, "--replace", path)
        self.assertIn("1 added", out)
        self.assertEqual([i["product"] for i in self.items("kp-education",
                                                           self.demo_client("admin", "kp-cert"))],
                         ["BIG-IP"])
