/*
 * demo_incidents.c - the incidents of the demo: about ninety over the last three months, played
 * through the core functions at the moments they happen.
 *
 * A story says who reports what and when, how soon whoever handles it acknowledges, how far the
 * handling gets, and what else happens (an escalation by hand, a comment each way, the
 * notification and the final report); tasks, links and the merge of a duplicate are tables of
 * their own, and routine reports (phishing mails, blocked malware, scans) come from a few
 * templates. All of it becomes one list of events, sorted by time and played with rb_now() set to
 * each event's time, while the scheduler ticks every hour in between as a running server would:
 * the due-soon and overdue notices, the escalations of missed acknowledgements and the overdue
 * tasks are the scheduler's own, made when they fell due; a last tick at the real time leaves
 * nothing for the server's first tick to do. Times count back from the last full hour, so the
 * stories play the same way whatever the minute; what would happen after it has not happened yet.
 *
 * The CERTs differ on purpose, so the responsiveness roll-up has something to say: KP CERT and the
 * Federal Government CERT acknowledge within minutes, Punjab within hours, Gilgit-Baltistan near
 * the deadline, Balochistan often not at all (the scheduler hands those to the National CERT).
 *
 * Must never write around the core functions: every grant, timeline entry, inbox item and audit
 * entry is the one the API would have made.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/auth.h"
#include "core/demo_content.h"
#include "core/demo_int.h"
#include "core/incident.h"
#include "core/incident_work.h"
#include "core/scheduler.h"
#include "formats/tlp.h"

#define HOUR 3600
#define DAY (24 * HOUR)

struct story {
    const char *key;   /* how tasks, links and merges name it; NULL when none does */
    const char *by;    /* the reporting org */
    const char *about; /* the affected org when a CERT reports; NULL: the reporter itself */
    const char *cls, *type;
    enum rb_severity sev;
    bool cii;
    const char *tlp; /* NULL: AMBER */
    double day;      /* reported this many days before the last full hour */
    double detect_h; /* detected this many hours before it was reported */
    const char *title, *description, *services;
    /* Hours after the report at which whoever handles it then acknowledges it (if nobody has in
     * its current handling period); 0: never. ack2_h is a second chance, after an escalation. */
    double ack_h, ack2_h;
    enum incident_status to; /* how far the handling goes; past triaged it needs an ack */
    double step_h;           /* hours between the steps after the first acknowledgement */
    double notify_h;         /* the notification is filed, hours after the report; 0 never */
    double final_d;          /* the final report is filed, days after the report; 0 never */
    const char *escalate;    /* the reason of an escalation by hand, an hour after the ack */
    const char *note;        /* the handling CERT's comment, half an hour after the ack */
    const char *reply;       /* the affected org's comment, two hours after the ack */
};

/* The stories, in content/demo/incidents.json: one object each, its members those of struct
 * story (sev and to by their API names). */
#define M(m, kind) DC_MEMBER(struct story, m, kind)
static const struct dc_member story_members[] = {
    M(key, DC_TEXT),       M(by, DC_TEXT),       M(about, DC_TEXT),
    M(cls, DC_TEXT),       M(type, DC_TEXT),     DC_ENUM(struct story, sev, rb_severity_names),
    M(cii, DC_BOOL),       M(tlp, DC_TEXT),      M(day, DC_DOUBLE),
    M(detect_h, DC_DOUBLE), M(title, DC_TEXT),   M(description, DC_TEXT),
    M(services, DC_TEXT),  M(ack_h, DC_DOUBLE),  M(ack2_h, DC_DOUBLE),
    DC_ENUM(struct story, to, rb_incident_status_names), M(step_h, DC_DOUBLE),
    M(notify_h, DC_DOUBLE), M(final_d, DC_DOUBLE), M(escalate, DC_TEXT),
    M(note, DC_TEXT),      M(reply, DC_TEXT),
};
#undef M
static const struct dc_table story_table = DC_TABLE(struct story, story_members);

/* Routine reports: the same few things, everywhere. */
struct routine {
    const char *title, *description, *cls, *type;
    enum rb_severity sev;
};
static const struct routine routines[] = {
    {"Credential phishing e-mail reported by staff",
     "A member of staff forwarded an e-mail asking to confirm mailbox storage on a fake sign-in "
     "page. Nobody is known to have entered a password; the link is blocked at the mail gateway.",
     "fraud", "phishing", SEV_LOW},
    {"Malware caught by antivirus on an office computer",
     "Antivirus quarantined a trojan that came with a fake invoice attachment. The computer was "
     "scanned again and is clean.",
     "malicious-code", "infected-system", SEV_LOW},
    {"Port scan of public servers",
     "The firewall logged a sweep of every public address for remote desktop and database ports "
     "from one address abroad. Nothing answered that should not.",
     "information-gathering", "scanner", SEV_BASELINE},
    {"Password guessing against webmail",
     "Hundreds of failed webmail sign-ins for many accounts within minutes; the lockout held and "
     "no sign-in succeeded.",
     "intrusion-attempts", "brute-force", SEV_LOW},
    {"Website briefly unavailable",
     "The public website was unreachable for about an hour; the hosting provider reports a "
     "hardware failure, not an attack.",
     "availability", "outage", SEV_BASELINE},
    {"Staff mailbox sending spam",
     "A staff mailbox sent spam to outside addresses after its password was phished; the password "
     "was reset and the mail queue cleared.",
     "abusive-content", "spam", SEV_LOW},
};

struct routine_row {
    int routine;
    const char *by;
    double day, ack_h, ack2_h;
    enum incident_status to;
};
static const struct routine_row routine_rows[] = {
    {0, "pb-finance", 83.1, 2, 0, IST_CLOSED},       {1, "pb-health", 66.7, 3, 0, IST_CLOSED},
    {2, "pb-landrecords", 54.4, 6, 0, IST_CLOSED},   {3, "pb-emergency", 29.8, 2.5, 0, IST_CLOSED},
    {4, "lhr-water", 16.9, 4, 0, IST_CLOSED},        {5, "pb-finance", 6.8, 1.8, 0, IST_RECOVERED},
    {0, "pb-health", 2.7, 2.2, 0, IST_TRIAGED},      {2, "pb-power", 0.6, 0, 0, IST_NEW},
    {1, "sd-revenue", 78.2, 9, 0, IST_CLOSED},       {0, "sd-health", 49.9, 11, 0, IST_CLOSED},
    {3, "sd-education", 20.1, 6, 0, IST_CLOSED},     {2, "khi-water", 4.9, 14, 0, IST_TRIAGED},
    {0, "kp-health", 86.6, 0.2, 0, IST_CLOSED},      {2, "kp-itboard", 44.1, 0.3, 0, IST_CLOSED},
    {1, "kp-education", 24.8, 0.4, 0, IST_CLOSED},   {3, "psh-transit", 7.7, 0.2, 0, IST_RECOVERED},
    {4, "kp-hydro", 0.9, 0.1, 0, IST_TRIAGED},       {0, "bl-finance", 71.3, 55, 0, IST_CLOSED},
    {1, "bl-health", 30.2, 0, 80, IST_CLOSED},       {3, "qta-water", 12.5, 40, 0, IST_TRIAGED},
    {0, "gb-finance", 63.2, 20, 0, IST_CLOSED},      {5, "gb-health", 38.9, 30, 0, IST_CLOSED},
    {2, "gb-tourism", 11.8, 50, 0, IST_TRIAGED},     {1, "ajk-finance", 57.1, 4, 0, IST_CLOSED},
    {0, "ajk-health", 26.3, 6, 0, IST_CLOSED},       {4, "ajk-disaster", 5.6, 3, 0, IST_RECOVERED},
    {0, "fed-tax", 76.9, 0.6, 0, IST_CLOSED},        {3, "fed-pensions", 35.7, 0.4, 0, IST_CLOSED},
    {2, "fed-identity", 15.2, 0.5, 0, IST_CLOSED},   {1, "fed-tolls", 3.9, 0.8, 0, IST_TRIAGED},
    {5, "paknet-broadband", 68.8, 4, 0, IST_CLOSED}, {2, "indus-fibre", 42.7, 6, 0, IST_CLOSED},
    {0, "sapphire-telecom", 18.6, 3, 0, IST_CLOSED}, {3, "nix-operator", 1.3, 2, 0, IST_TRIAGED},
};

/* Tasks: added by the handling CERT 90 minutes after the first acknowledgement, for the affected
 * org, due and done (0: not yet) so many days after the report. */
static const struct {
    const char *story, *title;
    double due_d, done_d;
} tasks[] = {
    {"pb-ransomware", "Restore the patient records database from the offline backup", 3, 2.5},
    {"pb-ransomware", "Reset every domain administrator password and review who holds the role", 2,
     1.5},
    {"pb-ransomware", "Send the ransom note and encrypted samples to the National CERT malware lab",
     1, 0.3},
    {"pb-phish", "Force a password reset for every member of staff who clicked the link", 1, 0.8},
    {"pb-phish", "Check the mail logs for sign-ins from abroad on the 14 accounts", 3, 4},
    {"lhr-scada", "Image the historian's disk for forensic analysis", 2, 1.2},
    {"lhr-scada", "Turn off remote desktop on every pump station engineering workstation", 7, 0},
    {"pb-vendor", "List the systems the vendor laptop reached while it was connected", 2, 0},
    {"khi-port-tos", "Send the terminal database's audit trail of the last 30 days", 3, 2},
    {"khi-port-tos", "Require two-factor sign-in for every clerk account", 14, 0},
    {"khi-water-hmi", "Put the pump station panel behind the VPN and remove the port forward", 2,
     0},
    {"kp-webshell", "Accept only PDF and image uploads on the complaint form and scan them", 5, 3},
    {"ajk-directory", "Disable the accounts of everyone who has left since 2024", 4, 0},
    {"fed-pension-calls", "Find which systems and staff can list pension numbers with bank details",
     5, 0},
    {"fed-insider", "List every export the employee made in the last twelve months", 7, 5},
    {"sim-swap", "Suspend SIM replacements by the reseller and review its staff accounts", 1, 0.5},
};

/* Links: made by an analyst of `by` so many hours after b was reported. */
static const struct {
    const char *a, *b, *by;
    double after_h;
    const char *reason;
} links[] = {
    {"pb-phish", "sd-phish", "ncert", 8, "Same look-alike domain and e-mail template."},
    {"pb-phish", "bl-phish", "ncert", 12, "The Balochistan reports are the same salary slip lure."},
    {"pb-power-c2", "khi-port-c2", "ncert", 1,
     "Same command-and-control server and beacon interval: one actor in two provinces."},
};

/* Merges: the duplicate's handling CERT merges it so many hours after it was reported. */
static const struct {
    const char *dup, *into;
    double after_h;
    const char *reason;
} merges[] = {
    {"pb-ransomware-dup", "pb-ransomware", 0.75,
     "The same outbreak as the directorate's report; follow the handling there."},
};

/* ---- playing them ---- */

enum ev_kind {
    EV_REPORT = 0,
    EV_ACK,
    EV_NOTE,
    EV_ESCALATE,
    EV_TASK,
    EV_REPLY,
    EV_STATUS,
    EV_NOTIFY,
    EV_FINAL,
    EV_TASK_DONE,
    EV_LINK,
    EV_MERGE,
};

struct event {
    int64_t at;
    int order; /* ties keep the order they were made in */
    enum ev_kind kind;
    int story; /* index in the played stories */
    int arg;   /* the status, task, link or merge */
};

struct play {
    rb_db *db;
    const struct demo_org *orgs;
    int norgs;
    struct story *s; /* the stories, then the routine ones */
    int ns;
    int64_t *reported;        /* each story's report time */
    char (*ids)[RB_ID_SIZE];  /* each story's incident */
    char (*tids)[RB_ID_SIZE]; /* each task */
    struct event *ev;
    int nev, cap;
    rb_arena a;
};

static int add_event(struct play *p, int64_t at, enum ev_kind kind, int story, int arg)
{
    if (p->nev == p->cap) {
        int nc = p->cap ? p->cap * 2 : 512;
        struct event *bigger = rb_realloc(p->ev, sizeof(*bigger) * (size_t)nc);
        if (!bigger)
            return RB_ENOMEM;
        p->ev = bigger;
        p->cap = nc;
    }
    p->ev[p->nev] = (struct event){at, p->nev, kind, story, arg};
    p->nev++;
    return 0;
}

static int by_time(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->order - b->order;
}

static int story_index(const struct play *p, const char *key)
{
    for (int i = 0; i < p->ns; i++)
        if (p->s[i].key && strcmp(p->s[i].key, key) == 0)
            return i;
    return -1;
}

static const struct demo_org *org_by_slug(const struct play *p, const char *slug)
{
    for (int i = 0; i < p->norgs; i++)
        if (strcmp(p->orgs[i].slug, slug) == 0)
            return &p->orgs[i];
    return NULL;
}

static const struct demo_org *org_by_id(const struct play *p, const char *id)
{
    for (int i = 0; i < p->norgs; i++)
        if (strcmp(p->orgs[i].id, id) == 0)
            return &p->orgs[i];
    return NULL;
}

static int64_t hours(double h)
{
    return (int64_t)(h * HOUR);
}

/* The events of story i, reported at t. */
static int story_events(struct play *p, int i, int64_t t)
{
    const struct story *s = &p->s[i];
    int rc = add_event(p, t, EV_REPORT, i, 0);
    double first = s->ack_h > 0 ? s->ack_h : s->ack2_h;
    if (!rc && s->ack_h > 0)
        rc = add_event(p, t + hours(s->ack_h), EV_ACK, i, 0);
    if (!rc && s->ack2_h > 0)
        rc = add_event(p, t + hours(s->ack2_h), EV_ACK, i, 0);
    if (!rc && s->notify_h > 0)
        rc = add_event(p, t + hours(s->notify_h), EV_NOTIFY, i, 0);
    if (!rc && s->final_d > 0)
        rc = add_event(p, t + hours(s->final_d * 24), EV_FINAL, i, 0);
    if (rc || first <= 0)
        return rc;
    int64_t ack = t + hours(first);
    if (s->note)
        rc = add_event(p, ack + hours(0.5), EV_NOTE, i, 0);
    if (!rc && s->escalate)
        rc = add_event(p, ack + hours(1), EV_ESCALATE, i, 0);
    if (!rc && s->reply)
        rc = add_event(p, ack + hours(2), EV_REPLY, i, 0);
    /* The steps after triage: contained, eradicated, recovered, closed (or rejected). */
    static const struct {
        enum incident_status status;
        double steps;
    } walk[] = {{IST_CONTAINED, 1}, {IST_ERADICATED, 2.5}, {IST_RECOVERED, 4}, {IST_CLOSED, 6}};
    if (!rc && s->to == IST_REJECTED)
        rc = add_event(p, ack + hours(s->step_h), EV_STATUS, i, IST_REJECTED);
    for (size_t k = 0; !rc && s->to != IST_REJECTED && s->to != IST_MERGED &&
                       k < RB_ARRAY_LEN(walk) && walk[k].status <= s->to;
         k++)
        rc =
            add_event(p, ack + hours(s->step_h * walk[k].steps), EV_STATUS, i, (int)walk[k].status);
    return rc;
}

/* Turns the tables into events, each story reported `day` days before base. */
static int make_events(struct play *p, int64_t base)
{
    int rc = 0;
    for (int i = 0; !rc && i < p->ns; i++) {
        int64_t t = base - (int64_t)(p->s[i].day * DAY);
        t -= t % 60;
        p->reported[i] = t;
        rc = story_events(p, i, t);
    }
    for (int k = 0; !rc && k < (int)RB_ARRAY_LEN(tasks); k++) {
        int i = story_index(p, tasks[k].story);
        if (i < 0)
            return RB_EINVAL;
        double first = p->s[i].ack_h > 0 ? p->s[i].ack_h : p->s[i].ack2_h;
        rc = add_event(p, p->reported[i] + hours(first + 1.5), EV_TASK, i, k);
        if (!rc && tasks[k].done_d > 0)
            rc = add_event(p, p->reported[i] + hours(tasks[k].done_d * 24), EV_TASK_DONE, i, k);
    }
    for (int k = 0; !rc && k < (int)RB_ARRAY_LEN(links); k++) {
        int b = story_index(p, links[k].b);
        if (b < 0 || story_index(p, links[k].a) < 0)
            return RB_EINVAL;
        rc = add_event(p, p->reported[b] + hours(links[k].after_h), EV_LINK, b, k);
    }
    for (int k = 0; !rc && k < (int)RB_ARRAY_LEN(merges); k++) {
        int d = story_index(p, merges[k].dup);
        if (d < 0 || story_index(p, merges[k].into) < 0)
            return RB_EINVAL;
        rc = add_event(p, p->reported[d] + hours(merges[k].after_h), EV_MERGE, d, k);
    }
    if (!rc)
        qsort(p->ev, (size_t)p->nev, sizeof(*p->ev), by_time);
    return rc;
}

/* The analyst (or reporter) of an org as an actor. */
static int actor_of(const struct play *p, const struct demo_org *o, bool analyst, rb_actor *out)
{
    if (!o)
        return RB_ENOTFOUND;
    return auth_load_actor(p->db, analyst ? o->analyst : o->reporter, out);
}

/* The handling CERT's analyst, or the affected org's reporter, of incident i now. */
static int party(const struct play *p, int i, bool handler, struct incident_row *x, rb_actor *out)
{
    int rc = incident_row_load(p->db, p->ids[i], x);
    if (rc)
        return rc;
    return handler ? actor_of(p, org_by_id(p, x->handling_org), true, out)
                   : actor_of(p, org_by_id(p, x->org_id), false, out);
}

static int report(struct play *p, int i, rb_errinfo *ei)
{
    const struct story *s = &p->s[i];
    rb_actor who;
    const struct demo_org *by = org_by_slug(p, s->by);
    int rc = actor_of(p, by, s->about != NULL, &who);
    if (rc)
        return rc;
    struct incident_input in;
    incident_input_init(&in);
    char detected[RB_TIME_SIZE];
    rb_time_format(p->reported[i] - hours(s->detect_h), detected);
    in.title = s->title;
    in.description = s->description;
    in.affected_services = s->services;
    in.rsit_class = s->cls;
    in.rsit_type = s->type;
    in.severity = (int)s->sev;
    in.cii = s->cii ? 1 : 0;
    in.detected_at = detected;
    if (s->about) {
        const struct demo_org *about = org_by_slug(p, s->about);
        if (!about)
            return RB_ENOTFOUND;
        in.org_id = about->id;
    }
    if (s->tlp) {
        enum rb_tlp t = TLP_AMBER;
        if (tlp_parse(s->tlp, &t))
            return RB_EINVAL;
        in.tlp = (int)t;
    }
    return incident_report(p->db, &who, &p->a, &in, p->ids[i], ei);
}

/* The notification or the final report of incident i, filed by who. */
static int file_stage(struct play *p, int i, const rb_actor *who, enum incident_stage stage,
                      rb_errinfo *ei)
{
    char text[1200];
    if (stage == STAGE_NOTIFICATION)
        rb_fmt(text, sizeof(text),
               "Incident notification: %s. What happened, the systems and people affected and the "
               "first measures are as described in the report; the impact is still being "
               "assessed and updates follow in the timeline.",
               p->s[i].title);
    else
        rb_fmt(text, sizeof(text),
               "Final report: %s. The cause was found and removed, the affected services were "
               "restored and watched for two weeks, and the lessons learned (access reviews, "
               "patching and monitoring) are in the improvement plan agreed with the CERT.",
               p->s[i].title);
    return incident_file_report(p->db, who, p->ids[i], stage, text, ei);
}

/* Task k of incident i, added by who for the affected org x->org_id. */
static int task(struct play *p, int i, int k, const struct incident_row *x, const rb_actor *who,
                rb_errinfo *ei)
{
    char due[RB_TIME_SIZE];
    rb_time_format(p->reported[i] + hours(tasks[k].due_d * 24), due);
    due[10] = '\0';
    struct task_input in = {
        .title = tasks[k].title, .assignee_org = x->org_id, .due_date = due, .done = -1};
    return incident_task_add(p->db, who, p->ids[i], &in, p->tids[k], ei);
}

static int link(struct play *p, int k, rb_errinfo *ei)
{
    rb_actor who;
    int rc = actor_of(p, org_by_slug(p, links[k].by), true, &who);
    if (rc)
        return rc;
    return incident_link(p->db, &who, p->ids[story_index(p, links[k].a)],
                         p->ids[story_index(p, links[k].b)], links[k].reason, ei);
}

/* Whether the handling CERT plays event e (else the affected org): the CERT acknowledges,
 * comments, escalates, adds tasks, merges, triages, contains and closes; the affected org
 * replies, files its reports, marks its tasks done and reports its own progress. */
static bool played_by_handler(const struct event *e)
{
    switch (e->kind) {
    case EV_REPLY:
    case EV_NOTIFY:
    case EV_FINAL:
    case EV_TASK_DONE:
        return false;
    case EV_STATUS:
        return !(e->arg == IST_ERADICATED || e->arg == IST_RECOVERED);
    default:
        return true;
    }
}

static int play_event(struct play *p, const struct event *e, rb_errinfo *ei)
{
    if (e->kind == EV_REPORT)
        return report(p, e->story, ei);
    if (e->kind == EV_LINK)
        return link(p, e->arg, ei);
    /* Every other event is played by a party of the incident as it stands now. */
    const struct story *s = &p->s[e->story];
    const char *id = p->ids[e->story];
    struct incident_row x;
    rb_actor who;
    int rc = party(p, e->story, played_by_handler(e), &x, &who);
    if (rc)
        return rc;
    switch (e->kind) {
    case EV_ACK:
        if (x.acknowledged_at || incident_status_ended(x.status))
            return 0;
        return incident_acknowledge(p->db, &who, id, ei);
    case EV_NOTE:
        return incident_comment(p->db, &who, id, s->note, ei);
    case EV_REPLY:
        return incident_comment(p->db, &who, id, s->reply, ei);
    case EV_ESCALATE:
        return incident_escalate(p->db, &who, id, s->escalate, ei);
    case EV_STATUS: {
        struct incident_input in;
        incident_input_init(&in);
        in.status = e->arg;
        return incident_update(p->db, &who, &p->a, id, &in, ei);
    }
    case EV_NOTIFY:
        return file_stage(p, e->story, &who, STAGE_NOTIFICATION, ei);
    case EV_FINAL:
        return file_stage(p, e->story, &who, STAGE_FINAL_REPORT, ei);
    case EV_TASK:
        return task(p, e->story, e->arg, &x, &who, ei);
    case EV_TASK_DONE: {
        struct task_input in = {.done = 1};
        return incident_task_update(p->db, &who, id, p->tids[e->arg], &in, ei);
    }
    case EV_MERGE:
        return incident_merge(p->db, &who, id, p->ids[story_index(p, merges[e->arg].into)],
                              merges[e->arg].reason, ei);
    case EV_REPORT:
    case EV_LINK:
        break;
    }
    return RB_EINVAL;
}

/* The stories (read from their content file) and the routine reports, as one array. */
static int gather(struct play *p, rb_errinfo *ei)
{
    const struct story *stories = NULL;
    int n = 0, nr = (int)RB_ARRAY_LEN(routine_rows);
    int rc = dc_read(DC_FILE(incidents), &story_table, &p->a, &stories, &n, ei);
    if (rc)
        return rc;
    p->s = rb_calloc((size_t)(n + nr), sizeof(*p->s));
    p->reported = rb_calloc((size_t)(n + nr), sizeof(*p->reported));
    p->ids = rb_calloc((size_t)(n + nr), sizeof(*p->ids));
    p->tids = rb_calloc(RB_ARRAY_LEN(tasks), sizeof(*p->tids));
    if (!p->s || !p->reported || !p->ids || !p->tids)
        return RB_ENOMEM;
    memcpy(p->s, stories, (size_t)n * sizeof(*stories));
    for (int k = 0; k < nr; k++) {
        const struct routine_row *r = &routine_rows[k];
        const struct routine *t = &routines[r->routine];
        p->s[n + k] = (struct story){.by = r->by,
                                     .day = r->day,
                                     .detect_h = 1,
                                     .cls = t->cls,
                                     .type = t->type,
                                     .sev = t->sev,
                                     .title = t->title,
                                     .description = t->description,
                                     .ack_h = r->ack_h,
                                     .ack2_h = r->ack2_h,
                                     .to = r->to,
                                     .step_h = 6};
    }
    p->ns = n + nr;
    return 0;
}

static void play_release(struct play *p)
{
    rb_free(p->s);
    rb_free(p->reported);
    rb_free(p->ids);
    rb_free(p->tids);
    rb_free(p->ev);
    rb_arena_release(&p->a);
}

int demo_seed_incidents(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei)
{
    *created = 0;
    rb_time_set_fake(-1);
    int64_t base = rb_now() / HOUR * HOUR;
    struct play p = {.db = db, .orgs = orgs, .norgs = norgs};
    rb_arena_init(&p.a, 1 << 20);
    int rc = gather(&p, ei);
    if (!rc)
        rc = make_events(&p, base);
    int64_t tick = 0;
    if (!rc && p.nev > 0)
        tick = base - (base - p.ev[0].at) / HOUR * HOUR;
    struct tick_result tr;
    int i = 0;
    for (; !rc && i < p.nev && p.ev[i].at <= base; i++) {
        /* The scheduler ran every hour until now, as a server would have. */
        for (; !rc && tick <= p.ev[i].at; tick += HOUR) {
            rb_time_set_fake(tick);
            rc = scheduler_tick(db, &tr);
        }
        if (rc)
            break;
        rb_time_set_fake(p.ev[i].at);
        rc = play_event(&p, &p.ev[i], ei);
        if (!rc && p.ev[i].kind == EV_REPORT)
            (*created)++;
    }
    for (; !rc && tick <= base; tick += HOUR) {
        rb_time_set_fake(tick);
        rc = scheduler_tick(db, &tr);
    }
    rb_time_set_fake(-1);
    if (!rc)
        rc = scheduler_tick(db, &tr);
    if (rc && i < p.nev) {
        /* Say which story failed: the demo's data is wrong, not the caller's. */
        char msg[RB_ERR_MSG_MAX], field[RB_ERR_FIELD_MAX];
        rb_strlcpy(msg, ei && ei->msg[0] ? ei->msg : rabta_strerror(rc), sizeof(msg));
        rb_strlcpy(field, ei ? ei->field : "", sizeof(field));
        rb_err(ei, rc, field, "demo incident \"%.80s\": %s", p.s[p.ev[i].story].title, msg);
    }
    play_release(&p);
    return rc;
}
