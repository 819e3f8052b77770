/*
 * stix.c - an incident as a STIX 2.1 bundle (see stix.h): the mapping tables and the writer.
 *
 * Must never write a reference to an object the bundle does not hold, an object without the
 * incident's marking, or a value outside the vocabularies it claims (the Incident Core
 * extension's enumerations, the TLP 2.0 marking objects). JSON is built with the writer only.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "formats/stix.h"
#include "json/json.h"

/* ---- the mapping ---- */

/* Severity (NCISS-style) -> Incident Core criticality, on the "5 Qualitative" scale of its
 * Appendix B (Low 1-29, Moderate 30-49, High 50-89, Extreme 90-100), and the NCISS level kept
 * as a score so the exact severity survives the trip. */
static const struct {
    const char *severity;
    int criticality;
    int level;
} severities[] = {
    {"emergency", 95, 5}, {"severe", 80, 4}, {"high", 60, 3},
    {"medium", 40, 2},    {"low", 20, 1},    {"baseline", 5, 0},
};

/* Status -> investigation_status (incident-investigation-ov) and determination
 * (incident-determination-enum). NULL determination: "confirmed" once contained, else
 * "suspected" (a merged duplicate keeps what was known of it). */
static const struct {
    const char *status, *investigation, *determination;
    bool contained; /* the status says containment was done (a containment task) */
    bool eradicated, recovered;
} statuses[] = {
    {"new", "new", "suspected", false, false, false},
    {"triaged", "open", "suspected", false, false, false},
    {"contained", "open", "confirmed", true, false, false},
    {"eradicated", "open", "confirmed", true, true, false},
    {"recovered", "open", "confirmed", true, true, true},
    {"closed", "closed", "confirmed", true, true, true},
    {"rejected", "closed", "false-positive", false, false, false},
    {"merged", "closed", NULL, false, false, false},
};

/* ENISA RSIT class/type -> the Incident Core suite's event-type-ov, where one value means the
 * same; types without an equivalent get no incident_types (the rsit label still says it). */
static const struct {
    const char *cls, *type, *event_type;
} rsit_event_types[] = {
    {"abusive-content", "spam", "spam"},
    {"abusive-content", "violence", "content-forbidden-by-law"},
    {"malicious-code", "infected-system", "infected-by-known-malware"},
    {"malicious-code", "c2-server", "c&c-server-hosting"},
    {"malicious-code", "malware-distribution", "hosting-malware-webpage"},
    {"information-gathering", "scanner", "network-scanning"},
    {"information-gathering", "sniffing", "wiretapping"},
    {"intrusion-attempts", "ids-alert", "exploit-attempt"},
    {"intrusion-attempts", "brute-force", "brute-force-attempt"},
    {"intrusion-attempts", "exploit", "exploit-attempt"},
    {"intrusions", "privileged-account-compromise", "unauthorized-access-system"},
    {"intrusions", "unprivileged-account-compromise", "unauthorized-access-system"},
    {"intrusions", "application-compromise", "compromised-system"},
    {"intrusions", "system-compromise", "compromised-system"},
    {"intrusions", "burglary", "equipment-theft"},
    {"availability", "dos", "denial-of-service"},
    {"availability", "ddos", "denial-of-service"},
    {"availability", "sabotage", "destruction"},
    {"information-content-security", "unauthorised-information-access",
     "unauthorized-access-information"},
    {"information-content-security", "unauthorised-information-modification",
     "modification-information"},
    {"information-content-security", "data-leak", "unauthorized-release"},
    {"fraud", "unauthorised-use-of-resources", "illegitimate-use-resources"},
    {"fraud", "copyright", "copyrighted-content"},
    {"fraud", "masquerade", "illegitimate-use-name"},
    {"fraud", "phishing", "aggregation-information-phishing-schemes"},
    {"other", "other", "unspecified"},
    {"other", "undetermined", "undetermined"},
};

/* rabta sector -> STIX 2.1 industry-sector-ov ("other" has none). */
static const struct {
    const char *sector, *stix;
} sectors[] = {
    {"government", "government"},
    {"telecom", "telecommunications"},
    {"energy", "energy"},
    {"finance", "financial-services"},
    {"health", "healthcare"},
    {"water", "water"},
    {"transport", "transportation"},
    {"education", "education"},
    {"emergency", "emergency-services"},
};

/* rabta's namespace for name-based STIX UUIDs (made once, random). */
static const char uuid_ns[] = "e2de239f-aa45-476d-8b4c-2ae873473d2c";

int stix_criticality(const char *severity)
{
    for (size_t i = 0; severity && i < RB_ARRAY_LEN(severities); i++)
        if (strcmp(severities[i].severity, severity) == 0)
            return severities[i].criticality;
    return -1;
}

int stix_time(const char *t, char out[STIX_TIME_SIZE])
{
    int64_t v;
    if (!t || rb_time_parse(t, &v))
        return RB_EINVAL;
    char s[RB_TIME_SIZE];
    rb_time_format(v, s); /* "YYYY-MM-DDTHH:MM:SSZ": 19 characters and the Z */
    memcpy(out, s, 19);
    memcpy(out + 19, ".000Z", 6);
    return 0;
}

void stix_uuid_named(const char *name, char out[37])
{
    rb_buf b;
    rb_buf_init(&b, 4096);
    rb_buf_adds(&b, uuid_ns);
    rb_buf_adds(&b, name ? name : "");
    char h[RB_SHA256_HEX_SIZE];
    rb_sha256_hex(b.ptr ? b.ptr : "", b.len, h);
    rb_buf_release(&b);
    static const char hex[] = "0123456789abcdef";
    h[12] = '8';                                     /* version 8 */
    h[16] = hex[(strchr(hex, h[16]) - hex) % 4 + 8]; /* variant 10xx */
    rb_fmt(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

/* ---- the writer ---- */

struct ctx {
    const struct stix_incident *x;
    rj_writer *w;
    const struct tlp_info *tlp;
    char created[STIX_TIME_SIZE], modified[STIX_TIME_SIZE]; /* the incident's */
    char incident_ref[64];
    rb_errinfo *ei;
};

/* "<type>--<uuid>" */
static void ref_of(char *out, size_t size, const char *type, const char *uuid)
{
    rb_fmt(out, size, "%s--%s", type, uuid);
}

/* The properties every object of the bundle starts with. created_by may be NULL. */
static void common(struct ctx *c, const char *type, const char *ref, const char *created,
                   const char *modified, const char *created_by)
{
    rj_writer *w = c->w;
    rjw_kstr(w, "type", type);
    rjw_kstr(w, "spec_version", "2.1");
    rjw_kstr(w, "id", ref);
    rjw_kstr(w, "created", created);
    rjw_kstr(w, "modified", strcmp(modified, created) < 0 ? created : modified);
    if (created_by)
        rjw_kstr(w, "created_by_ref", created_by);
    rjw_karr(w, "object_marking_refs");
    rjw_str(w, c->tlp->stix_id);
    rjw_arr_end(w);
}

static void write_marking(struct ctx *c)
{
    rj_writer *w = c->w;
    rjw_obj(w);
    rjw_kstr(w, "type", "marking-definition");
    rjw_kstr(w, "spec_version", "2.1");
    rjw_kstr(w, "id", c->tlp->stix_id);
    rjw_kstr(w, "created", TLP_STIX2_CREATED);
    rjw_kstr(w, "name", c->tlp->stix_name);
    rjw_kobj(w, "extensions");
    rjw_kobj(w, TLP_STIX2_EXTENSION);
    rjw_kstr(w, "extension_type", "property-extension");
    rjw_kstr(w, "tlp_2_0", c->tlp->tlp2_value);
    rjw_obj_end(w);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

static int check_org(struct ctx *c, const struct stix_org *o, const char *what)
{
    char t[STIX_TIME_SIZE];
    if (!o->id || !rb_uuid_valid(o->id))
        return rb_err(c->ei, RB_EINVAL, what, "the %s has no id", what);
    if (!o->name || !o->name[0])
        return rb_err(c->ei, RB_EINVAL, what, "the %s has no name", what);
    if (stix_time(o->created_at, t) || stix_time(o->updated_at, t))
        return rb_err(c->ei, RB_EINVAL, what, "the %s's times are not RFC 3339", what);
    return 0;
}

static void write_identity(struct ctx *c, const struct stix_org *o)
{
    rj_writer *w = c->w;
    char ref[64], created[STIX_TIME_SIZE], modified[STIX_TIME_SIZE];
    ref_of(ref, sizeof(ref), "identity", o->id);
    stix_time(o->created_at, created);
    stix_time(o->updated_at, modified);
    rjw_obj(w);
    common(c, "identity", ref, created, modified, NULL);
    rjw_kstr(w, "name", o->name);
    rjw_kstr(w, "identity_class", "organization");
    for (size_t i = 0; o->sector && i < RB_ARRAY_LEN(sectors); i++)
        if (strcmp(sectors[i].sector, o->sector) == 0) {
            rjw_karr(w, "sectors");
            rjw_str(w, sectors[i].stix);
            rjw_arr_end(w);
        }
    rjw_obj_end(w);
}

/* The tasks: what rabta knows of each step of the incident's handling. */
enum task_key {
    TASK_DETECTED = 0,
    TASK_REPORTED,
    TASK_HANDLING,
    TASK_CONTAINMENT,
    TASK_ERADICATION,
    TASK_RECOVERY,
    TASK_NOTIFICATION,
    TASK_FINAL_REPORT,
    TASK__COUNT
};

static const struct {
    const char *key, *type, *name;
} task_rows[TASK__COUNT] = {
    [TASK_DETECTED] = {"detected", "detected", "Detection"},
    [TASK_REPORTED] = {"reported", "reported", "Report to the handling CERT"},
    [TASK_HANDLING] = {"handling", "investigation", "Handling by the CERT"},
    [TASK_CONTAINMENT] = {"containment", "containment", "Containment"},
    [TASK_ERADICATION] = {"eradication", "eradication", "Eradication"},
    [TASK_RECOVERY] = {"recovery", "recovery", "Recovery"},
    [TASK_NOTIFICATION] = {"notification", "reported", "Incident notification"},
    [TASK_FINAL_REPORT] = {"final-report", "reported", "Final report"},
};

struct task {
    bool on;
    const char *outcome;
    const char *start, *end; /* rabta times or NULL */
};

static void plan_tasks(const struct stix_incident *x, int st, struct task t[TASK__COUNT])
{
    memset(t, 0, sizeof(struct task) * TASK__COUNT);
    bool ended = x->ended_at != NULL;
    t[TASK_DETECTED] = (struct task){true, "successful", x->detected_at, NULL};
    t[TASK_REPORTED] = (struct task){true, "successful", x->reported_at, NULL};
    /* Handling: from the acknowledgement to the end; not started while nobody acknowledged. */
    const char *handling = "ongoing";
    if (ended)
        handling = strcmp(x->status, "merged") == 0 ? "cancelled" : "successful";
    else if (!x->acknowledged_at)
        handling = "pending";
    t[TASK_HANDLING] = (struct task){true, handling, x->acknowledged_at, x->ended_at};
    if (statuses[st].contained || x->contained_at)
        t[TASK_CONTAINMENT] = (struct task){true, "successful", NULL, x->contained_at};
    if (statuses[st].eradicated)
        t[TASK_ERADICATION] = (struct task){true, "successful", NULL, NULL};
    if (statuses[st].recovered)
        t[TASK_RECOVERY] = (struct task){true, "successful", NULL, NULL};
    if (x->notified_at)
        t[TASK_NOTIFICATION] = (struct task){true, "successful", x->notified_at, NULL};
    if (x->final_report_at)
        t[TASK_FINAL_REPORT] = (struct task){true, "successful", x->final_report_at, NULL};
}

static void task_ref(const struct stix_incident *x, int k, char out[64])
{
    char name[128], u[37];
    rb_fmt(name, sizeof(name), "%s/task/%s", x->id, task_rows[k].key);
    stix_uuid_named(name, u);
    ref_of(out, 64, "task", u);
}

static void write_task(struct ctx *c, int k, const struct task *t)
{
    rj_writer *w = c->w;
    char ref[64], ts[STIX_TIME_SIZE], te[STIX_TIME_SIZE];
    task_ref(c->x, k, ref);
    rjw_obj(w);
    common(c, "task", ref, c->created, c->modified, NULL);
    rjw_kstr(w, "name", task_rows[k].name);
    rjw_karr(w, "task_types");
    rjw_str(w, task_rows[k].type);
    rjw_arr_end(w);
    rjw_kstr(w, "outcome", t->outcome);
    bool has_start = t->start && stix_time(t->start, ts) == 0;
    bool has_end = t->end && stix_time(t->end, te) == 0;
    if (has_start)
        rjw_kstr(w, "start_time", ts);
    /* An end before the start is left out rather than contradicting it. */
    if (has_end && (!has_start || strcmp(ts, te) <= 0))
        rjw_kstr(w, "end_time", te);
    rjw_kobj(w, "extensions");
    rjw_kobj(w, STIX_TASK_EXT);
    rjw_kstr(w, "extension_type", "new-sdo");
    rjw_obj_end(w);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

static void write_relationship(struct ctx *c, const char *kind, const char *source,
                               const char *target, const char *created)
{
    rj_writer *w = c->w;
    char name[256], u[37], ref[64];
    rb_fmt(name, sizeof(name), "%s/%s/%s/%s", c->x->id, kind, source, target);
    stix_uuid_named(name, u);
    ref_of(ref, sizeof(ref), "relationship", u);
    rjw_obj(w);
    common(c, "relationship", ref, created, c->modified, NULL);
    rjw_kstr(w, "relationship_type", kind);
    rjw_kstr(w, "source_ref", source);
    rjw_kstr(w, "target_ref", target);
    rjw_obj_end(w);
}

static void write_incident(struct ctx *c, int sv, int st, const struct task t[TASK__COUNT])
{
    const struct stix_incident *x = c->x;
    rj_writer *w = c->w;
    char by[64];
    ref_of(by, sizeof(by), "identity", x->reporter.id);
    rjw_obj(w);
    common(c, "incident", c->incident_ref, c->created, c->modified, by);
    rjw_kstr(w, "name", x->title);
    if (x->description && x->description[0])
        rjw_kstr(w, "description", x->description);
    char label[160];
    rb_fmt(label, sizeof(label), "rsit:%s=\"%s\"", x->rsit_class, x->rsit_type);
    rjw_karr(w, "labels");
    rjw_str(w, label);
    if (x->cii)
        rjw_str(w, "cii-involved");
    rjw_arr_end(w);
    char number[32];
    rb_fmt(number, sizeof(number), "INC-%06" PRId64, x->number);
    rjw_karr(w, "external_references");
    rjw_obj(w);
    rjw_kstr(w, "source_name", "rabta");
    rjw_kstr(w, "external_id", number);
    rjw_obj_end(w);
    rjw_arr_end(w);

    rjw_kobj(w, "extensions");
    rjw_kobj(w, STIX_INCIDENT_CORE);
    rjw_kstr(w, "extension_type", "property-extension");
    const char *determination = statuses[st].determination;
    if (!determination)
        determination = x->contained_at ? "confirmed" : "suspected";
    rjw_kstr(w, "determination", determination);
    rjw_kstr(w, "investigation_status", statuses[st].investigation);
    /* A false positive has no criticality to speak of (Appendix B: 0). */
    bool rejected = strcmp(x->status, "rejected") == 0;
    rjw_kint(w, "criticality", rejected ? 0 : severities[sv].criticality);
    for (size_t i = 0; i < RB_ARRAY_LEN(rsit_event_types); i++)
        if (strcmp(rsit_event_types[i].cls, x->rsit_class) == 0 &&
            strcmp(rsit_event_types[i].type, x->rsit_type) == 0) {
            rjw_karr(w, "incident_types");
            rjw_str(w, rsit_event_types[i].event_type);
            rjw_arr_end(w);
        }
    rjw_kobj(w, "impacted_entity_counts");
    rjw_kint(w, "organization", 1);
    rjw_obj_end(w);
    rjw_karr(w, "scores");
    rjw_obj(w);
    rjw_kstr(w, "name", "NCISS severity level");
    rjw_kint(w, "value", severities[sv].level);
    char why[200];
    rb_fmt(why, sizeof(why),
           "%s: the severity given in rabta (NCISS levels: 5 emergency, 4 severe, 3 high, 2 "
           "medium, 1 low, 0 baseline)",
           x->severity);
    rjw_kstr(w, "description", why);
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_karr(w, "tasks");
    for (int k = 0; k < TASK__COUNT; k++) {
        if (!t[k].on)
            continue;
        char ref[64];
        task_ref(x, k, ref);
        rjw_obj(w);
        rjw_kstr(w, "task_ref", ref);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_obj_end(w);
    rjw_obj_end(w);
}

static int check_incident(struct ctx *c, int *sv, int *st)
{
    const struct stix_incident *x = c->x;
    rb_errinfo *ei = c->ei;
    char t[STIX_TIME_SIZE];
    if (!x->id || !rb_uuid_valid(x->id))
        return rb_err(ei, RB_EINVAL, "id", "the incident's id is not a UUID");
    if (!x->title || !x->title[0] || !x->rsit_class || !x->rsit_type)
        return rb_err(ei, RB_EINVAL, "title", "the incident needs a title, a class and a type");
    *sv = *st = -1;
    for (size_t i = 0; x->severity && i < RB_ARRAY_LEN(severities); i++)
        if (strcmp(severities[i].severity, x->severity) == 0)
            *sv = (int)i;
    for (size_t i = 0; x->status && i < RB_ARRAY_LEN(statuses); i++)
        if (strcmp(statuses[i].status, x->status) == 0)
            *st = (int)i;
    if (*sv < 0)
        return rb_err(ei, RB_EINVAL, "severity", "no STIX mapping for the severity");
    if (*st < 0)
        return rb_err(ei, RB_EINVAL, "status", "no STIX mapping for the status");
    if (!tlp_info(x->tlp))
        return rb_err(ei, RB_EINVAL, "tlp", "no TLP 2.0 marking for the TLP");
    if (stix_time(x->detected_at, t) || stix_time(x->reported_at, t) || stix_time(x->updated_at, t))
        return rb_err(ei, RB_EINVAL, "reported_at",
                      "detected_at, reported_at and updated_at are required RFC 3339 times");
    const char *opt[] = {x->handling_since, x->acknowledged_at, x->contained_at,
                         x->notified_at,    x->final_report_at, x->ended_at};
    for (size_t i = 0; i < RB_ARRAY_LEN(opt); i++)
        if (opt[i] && stix_time(opt[i], t))
            return rb_err(ei, RB_EINVAL, "", "a time of the incident is not RFC 3339");
    int rc;
    if ((rc = check_org(c, &x->reporter, "reporter")) ||
        (rc = check_org(c, &x->affected, "affected")) ||
        (rc = check_org(c, &x->handler, "handler")))
        return rc;
    return 0;
}

int stix_incident_bundle(const struct stix_incident *x, const char *bundle_id, rb_buf *out,
                         rb_errinfo *ei)
{
    rj_writer w;
    struct ctx c = {.x = x, .w = &w, .tlp = tlp_info(x->tlp), .ei = ei};
    int sv = -1, st = -1;
    int rc = check_incident(&c, &sv, &st);
    if (rc)
        return rc;
    if (!bundle_id || !rb_uuid_valid(bundle_id))
        return rb_err(ei, RB_EINVAL, "bundle_id", "the bundle's id is not a UUID");
    stix_time(x->reported_at, c.created);
    stix_time(x->updated_at, c.modified);
    if (strcmp(c.modified, c.created) < 0)
        memcpy(c.modified, c.created, sizeof(c.modified));
    ref_of(c.incident_ref, sizeof(c.incident_ref), "incident", x->id);
    struct task tasks[TASK__COUNT];
    plan_tasks(x, st, tasks);

    rjw_init(&w, out);
    rjw_obj(&w);
    rjw_kstr(&w, "type", "bundle");
    char ref[64];
    ref_of(ref, sizeof(ref), "bundle", bundle_id);
    rjw_kstr(&w, "id", ref);
    rjw_key(&w, "objects");
    rjw_arr(&w);
    write_marking(&c);
    /* One identity per distinct org, in the order reporter, affected, handler. */
    const struct stix_org *orgs[3] = {&x->reporter, &x->affected, &x->handler};
    for (int i = 0; i < 3; i++) {
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen = seen || strcmp(orgs[k]->id, orgs[i]->id) == 0;
        if (!seen)
            write_identity(&c, orgs[i]);
    }
    write_incident(&c, sv, st, tasks);
    for (int k = 0; k < TASK__COUNT; k++)
        if (tasks[k].on)
            write_task(&c, k, &tasks[k]);
    char affected[64], handler[64], since[STIX_TIME_SIZE];
    ref_of(affected, sizeof(affected), "identity", x->affected.id);
    ref_of(handler, sizeof(handler), "identity", x->handler.id);
    write_relationship(&c, "impacts", c.incident_ref, affected, c.created);
    /* The handling CERT has been the contact since it got the incident. */
    if (!x->handling_since || stix_time(x->handling_since, since) || strcmp(since, c.created) < 0)
        memcpy(since, c.created, sizeof(since));
    write_relationship(&c, "contact-for", handler, c.incident_ref, since);
    rjw_arr_end(&w);
    rjw_obj_end(&w);
    if ((rc = rjw_finish(&w)))
        return rb_err(ei, rc, "", "the bundle is too large");
    return 0;
}
