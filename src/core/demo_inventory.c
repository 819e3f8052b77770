/*
 * demo_inventory.c - the inventories of the demo: about half the institutions declare the products
 * they run (5 to 15 each), each added by the institution's focal person through inventory_add.
 *
 * The operational technology comes from the CISA advisories of 2023 in the shared data
 * (csaf/cisa/OT/white/2023): the vendor and product names are exactly those of the advisories'
 * product trees, and each org runs a version either inside an advisory's affected range (variant
 * IN) or past its fix (variant OUT), so matching advisories against inventories has both to find.
 * The IT is what every government runs and what the big advisories of the time named (Exchange,
 * FortiOS, Connect Secure, IOS XE, the Apache HTTP Server, Log4j, OpenSSL, ESXi), with CPE names
 * and package URLs where they are natural. The same tables give the same inventories every time.
 */
#include "base/common.h"
#include "core/auth.h"
#include "core/demo_int.h"
#include "core/inventory.h"

enum { IN = 0, OUT = 1 }; /* inside an advisory's affected range, or past its fix */

struct demo_version {
    const char *version, *cpe, *purl;
};

struct demo_product {
    const char *vendor, *product;
    struct demo_version v[2]; /* [IN], [OUT] */
};

enum {
    P_NONE = 0,
    /* OT, from the CISA advisories (the advisory that names the range in the comment) */
    P_S7_1518,   /* ICSA-23-222: all versions < V3.0.3 */
    P_SCALANCE,  /* ICSA-23-103-05: < V5.5.2 */
    P_SIPROTEC,  /* ICSA-23-103-06: >= V7.80 < V9.40 */
    P_CROSSBOW,  /* ICSA-23-222: < V5.4 */
    P_TIA,       /* ICSA-23-103-04: < V17 Update 6 */
    P_ION9000,   /* ICSA-23-229-03: < 4.0.0 */
    P_IGSS,      /* ICSA-23-082-04: <= 16.0.0.23040 */
    P_CTRL_EXP,  /* ICSA-23-201-01: < 15.3 */
    P_THIN,      /* ICSA-23-206-02: >= 13.0.0 <= 13.0.2 */
    P_EN2T,      /* ICSA-23-193-01: <= 5.008 */
    P_PM1000,    /* ICSA-23-194-05: V4.011 */
    P_GOT2000,   /* ICSA-23-215-01: <= 01.49.000 */
    P_APPPORTAL, /* ICSA-23-052-01: >= 1.00A <= 1.29F */
    P_RTU500,    /* ICSA-23-089: >= 12.7.1 <= 12.7.4 */
    P_RELION,    /* ICSA-23-068-05: 2.2.2, 2.2.3 */
    P_GWS,       /* ICSA-23-059-02: 3.0.0.0 to 3.2.0.0 */
    P_FOXMAN,    /* ICSA-23-005-02: R11B to R16A */
    /* IT */
    P_EXCHANGE,
    P_FORTIOS,
    P_IVANTI,
    P_IOSXE,
    P_HTTPD,
    P_LOG4J,
    P_OPENSSL,
    P_ESXI,
    P_WINSRV,
    P__COUNT
};

#define CPE23(part, vendor, product, version, update)                                              \
    "cpe:2.3:" part ":" vendor ":" product ":" version ":" update ":*:*:*:*:*:*"

static const struct demo_product products[P__COUNT] = {
    [P_S7_1518] = {"Siemens",
                   "SIMATIC S7-1500 CPU 1518-4 PN/DP MFP (6ES7518-4AX00-1AB0)",
                   {{"V2.9.4", NULL, NULL}, {"V3.0.3", NULL, NULL}}},
    [P_SCALANCE] = {"Siemens",
                    "SCALANCE X200-4P IRT (6GK5200-4AH00-2BA3)",
                    {{"V5.4.1", NULL, NULL}, {"V5.5.2", NULL, NULL}}},
    [P_SIPROTEC] = {"Siemens",
                    "SIPROTEC 5 6MD85 (CP300)",
                    {{"V9.20", NULL, NULL}, {"V9.50", NULL, NULL}}},
    [P_CROSSBOW] = {"Siemens", "RUGGEDCOM CROSSBOW", {{"V5.2", NULL, NULL}, {"V5.4", NULL, NULL}}},
    [P_TIA] = {"Siemens",
               "Totally Integrated Automation Portal (TIA Portal) V17",
               {{"V17 Update 4", NULL, NULL}, {"V17 Update 6", NULL, NULL}}},
    [P_ION9000] = {"Schneider Electric",
                   "PowerLogic ION9000",
                   {{"3.2.1", NULL, NULL}, {"4.0.0", NULL, NULL}}},
    [P_IGSS] = {"Schneider Electric",
                "IGSS Data Server (IGSSdataServer.exe)",
                {{"16.0.0.22350", NULL, NULL}, {"17.0.0.23352", NULL, NULL}}},
    [P_CTRL_EXP] = {"Schneider Electric",
                    "EcoStruxure Control Expert",
                    {{"15.1", NULL, NULL}, {"15.3", NULL, NULL}}},
    [P_THIN] = {"Rockwell Automation",
                "ThinManager ThinServer",
                {{"13.0.1", NULL, NULL}, {"13.2.1", NULL, NULL}}},
    [P_EN2T] = {"Rockwell Automation",
                "1756-EN2T Series A",
                {{"5.008", NULL, NULL}, {"11.004", NULL, NULL}}},
    [P_PM1000] = {"Rockwell Automation",
                  "PowerMonitor 1000",
                  {{"4.011", NULL, NULL}, {"4.020", NULL, NULL}}},
    [P_GOT2000] = {"Mitsubishi Electric",
                   "GOT2000 Series, GT21 model",
                   {{"01.45.000", NULL, NULL}, {"01.50.000", NULL, NULL}}},
    [P_APPPORTAL] = {"Mitsubishi Electric",
                     "MELSOFT iQ AppPortal (SW1DND-IQAPL-M)",
                     {{"1.28E", NULL, NULL}, {"1.30G", NULL, NULL}}},
    [P_RTU500] = {"Hitachi Energy",
                  "RTU500 series CMU Firmware",
                  {{"12.7.3", NULL, NULL}, {"12.7.6", NULL, NULL}}},
    [P_RELION] = {"Hitachi Energy",
                  "Relion 670 series",
                  {{"2.2.3", NULL, NULL}, {"2.2.5", NULL, NULL}}},
    [P_GWS] = {"Hitachi Energy",
               "Gateway Station (GWS)",
               {{"3.1.0.0", NULL, NULL}, {"3.3.0.0", NULL, NULL}}},
    [P_FOXMAN] = {"Hitachi Energy", "FOXMAN-UN", {{"R15B", NULL, NULL}, {"R16B", NULL, NULL}}},
    [P_EXCHANGE] = {"Microsoft",
                    "Exchange Server",
                    {{"2019 CU12",
                      CPE23("a", "microsoft", "exchange_server", "2019", "cumulative_update_12"),
                      NULL},
                     {"2019 CU14",
                      CPE23("a", "microsoft", "exchange_server", "2019", "cumulative_update_14"),
                      NULL}}},
    [P_FORTIOS] = {"Fortinet",
                   "FortiOS",
                   {{"7.2.4", CPE23("o", "fortinet", "fortios", "7.2.4", "*"), NULL},
                    {"7.4.3", CPE23("o", "fortinet", "fortios", "7.4.3", "*"), NULL}}},
    [P_IVANTI] = {"Ivanti",
                  "Connect Secure",
                  {{"22.4R2.2", CPE23("a", "ivanti", "connect_secure", "22.4", "r2.2"), NULL},
                   {"22.7R2.4", CPE23("a", "ivanti", "connect_secure", "22.7", "r2.4"), NULL}}},
    [P_IOSXE] = {"Cisco",
                 "IOS XE",
                 {{"17.9.3", CPE23("o", "cisco", "ios_xe", "17.9.3", "*"), NULL},
                  {"17.9.4a", CPE23("o", "cisco", "ios_xe", "17.9.4a", "*"), NULL}}},
    [P_HTTPD] = {"Apache Software Foundation",
                 "Apache HTTP Server",
                 {{"2.4.57", CPE23("a", "apache", "http_server", "2.4.57", "*"),
                   "pkg:deb/debian/apache2@2.4.57-2"},
                  {"2.4.59", CPE23("a", "apache", "http_server", "2.4.59", "*"),
                   "pkg:deb/debian/apache2@2.4.59-1"}}},
    [P_LOG4J] = {"Apache Software Foundation",
                 "Log4j",
                 {{"2.14.1", CPE23("a", "apache", "log4j", "2.14.1", "*"),
                   "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
                  {"2.17.2", CPE23("a", "apache", "log4j", "2.17.2", "*"),
                   "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.2"}}},
    [P_OPENSSL] = {"OpenSSL Project",
                   "OpenSSL",
                   {{"3.0.7", CPE23("a", "openssl", "openssl", "3.0.7", "*"),
                     "pkg:deb/debian/openssl@3.0.7-1"},
                    {"3.0.13", CPE23("a", "openssl", "openssl", "3.0.13", "*"),
                     "pkg:deb/debian/openssl@3.0.13-1"}}},
    [P_ESXI] = {"VMware",
                "ESXi",
                {{"7.0 Update 3", CPE23("o", "vmware", "esxi", "7.0", "update_3"), NULL},
                 {"8.0 Update 2", CPE23("o", "vmware", "esxi", "8.0", "update_2"), NULL}}},
    [P_WINSRV] = {"Microsoft",
                  "Windows Server 2019",
                  {{"1809", "cpe:/o:microsoft:windows_server_2019", NULL},
                   {"1809", "cpe:/o:microsoft:windows_server_2019", NULL}}},
};

/* One product an org runs, in one variant. */
struct demo_holding {
    int product; /* P_NONE ends an org's list */
    int variant;
};

/* Who runs what: utilities and operators run OT, everyone runs IT. */
static const struct {
    const char *slug;
    struct demo_holding has[16];
} holdings[] = {
    {"pb-health",
     {{P_EXCHANGE, IN},
      {P_FORTIOS, OUT},
      {P_HTTPD, IN},
      {P_OPENSSL, IN},
      {P_WINSRV, IN},
      {P_ESXI, OUT}}},
    {"lhr-water",
     {{P_S7_1518, IN},
      {P_SCALANCE, IN},
      {P_IGSS, IN},
      {P_CTRL_EXP, IN},
      {P_THIN, OUT},
      {P_FORTIOS, IN},
      {P_WINSRV, IN},
      {P_EXCHANGE, OUT}}},
    {"pb-power",
     {{P_SIPROTEC, IN},
      {P_RTU500, IN},
      {P_RELION, OUT},
      {P_GWS, IN},
      {P_FOXMAN, IN},
      {P_ION9000, OUT},
      {P_CROSSBOW, IN},
      {P_SCALANCE, OUT},
      {P_IVANTI, IN},
      {P_IOSXE, IN},
      {P_EXCHANGE, IN},
      {P_WINSRV, IN}}},
    {"sd-health",
     {{P_HTTPD, OUT}, {P_LOG4J, IN}, {P_OPENSSL, OUT}, {P_FORTIOS, IN}, {P_WINSRV, IN}}},
    {"khi-port",
     {{P_EN2T, IN},
      {P_PM1000, IN},
      {P_THIN, IN},
      {P_GOT2000, OUT},
      {P_CTRL_EXP, OUT},
      {P_IOSXE, IN},
      {P_FORTIOS, OUT},
      {P_EXCHANGE, IN},
      {P_ESXI, IN}}},
    {"khi-water",
     {{P_S7_1518, OUT},
      {P_SCALANCE, OUT},
      {P_IGSS, OUT},
      {P_GOT2000, IN},
      {P_APPPORTAL, IN},
      {P_FORTIOS, IN},
      {P_WINSRV, IN}}},
    {"kp-health", {{P_EXCHANGE, OUT}, {P_IVANTI, IN}, {P_HTTPD, IN}, {P_LOG4J, OUT}, {P_ESXI, IN}}},
    {"psh-transit",
     {{P_EN2T, OUT}, {P_THIN, IN}, {P_TIA, IN}, {P_IOSXE, OUT}, {P_FORTIOS, IN}, {P_WINSRV, IN}}},
    {"kp-hydro",
     {{P_SIPROTEC, OUT},
      {P_RTU500, OUT},
      {P_RELION, IN},
      {P_GWS, OUT},
      {P_ION9000, IN},
      {P_CROSSBOW, OUT},
      {P_TIA, OUT},
      {P_FORTIOS, OUT},
      {P_IVANTI, OUT},
      {P_WINSRV, IN}}},
    {"qta-water", {{P_S7_1518, IN}, {P_TIA, IN}, {P_IGSS, IN}, {P_FORTIOS, IN}, {P_WINSRV, IN}}},
    {"bl-health", {{P_EXCHANGE, IN}, {P_HTTPD, OUT}, {P_OPENSSL, IN}, {P_IOSXE, IN}, {P_ESXI, IN}}},
    {"gb-power",
     {{P_RTU500, IN},
      {P_FOXMAN, OUT},
      {P_PM1000, OUT},
      {P_SCALANCE, IN},
      {P_FORTIOS, IN},
      {P_WINSRV, IN}}},
    {"ajk-power",
     {{P_SIPROTEC, IN},
      {P_GWS, IN},
      {P_ION9000, IN},
      {P_CROSSBOW, IN},
      {P_IOSXE, OUT},
      {P_EXCHANGE, OUT}}},
    {"fed-tax",
     {{P_EXCHANGE, IN},
      {P_IVANTI, IN},
      {P_FORTIOS, IN},
      {P_HTTPD, IN},
      {P_LOG4J, IN},
      {P_OPENSSL, IN},
      {P_ESXI, OUT},
      {P_WINSRV, IN}}},
    {"fed-identity",
     {{P_IVANTI, OUT},
      {P_IOSXE, IN},
      {P_HTTPD, OUT},
      {P_LOG4J, OUT},
      {P_OPENSSL, OUT},
      {P_ESXI, IN},
      {P_EXCHANGE, OUT},
      {P_FORTIOS, OUT},
      {P_WINSRV, IN}}},
    {"indus-fibre",
     {{P_IOSXE, IN},
      {P_FORTIOS, IN},
      {P_CROSSBOW, IN},
      {P_OPENSSL, IN},
      {P_HTTPD, IN},
      {P_ESXI, IN}}},
    {"khyber-mobile",
     {{P_IOSXE, OUT}, {P_FORTIOS, OUT}, {P_IVANTI, IN}, {P_LOG4J, IN}, {P_EXCHANGE, IN}}},
    {"nix-operator",
     {{P_IOSXE, IN},
      {P_OPENSSL, OUT},
      {P_HTTPD, IN},
      {P_FORTIOS, IN},
      {P_ESXI, OUT},
      {P_CROSSBOW, OUT}}},
    {"ajk-health",
     {{P_EXCHANGE, IN}, {P_FORTIOS, IN}, {P_HTTPD, IN}, {P_WINSRV, IN}, {P_OPENSSL, IN}}},
};

static const struct demo_org *org_by_slug(const struct demo_org *orgs, int norgs, const char *slug)
{
    for (int i = 0; i < norgs; i++)
        if (strcmp(orgs[i].slug, slug) == 0)
            return &orgs[i];
    return NULL;
}

int demo_seed_inventory(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei)
{
    int rc = 0, n = 0;
    for (size_t i = 0; !rc && i < RB_ARRAY_LEN(holdings); i++) {
        const struct demo_org *o = org_by_slug(orgs, norgs, holdings[i].slug);
        rb_actor reporter;
        if (!o)
            rc = rb_err(ei, RB_EINTERNAL, "", "the demo has no org %s", holdings[i].slug);
        else
            rc = auth_load_actor(db, o->reporter, &reporter);
        for (int k = 0; !rc && k < 16 && holdings[i].has[k].product != P_NONE; k++) {
            const struct demo_product *p = &products[holdings[i].has[k].product];
            const struct demo_version *v = &p->v[holdings[i].has[k].variant];
            struct inventory_input in = {p->vendor, p->product, v->version, v->cpe, v->purl};
            char id[RB_ID_SIZE];
            if (!(rc = inventory_add(db, &reporter, o->id, &in, id, ei)))
                n++;
        }
    }
    if (!rc && created)
        *created = n;
    return rc;
}
