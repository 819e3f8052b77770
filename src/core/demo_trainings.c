/*
 * demo_trainings.c - the training sessions of the demo: a season of capacity building over the
 * last six weeks and the next five, in person, online and hybrid, played through core/training at
 * the moments they happen (invitations weeks ahead, registrations, attendance on the day, feedback
 * after), so the calendar, the capacity dashboard and the gaps view have something to show.
 *
 * The first is the seed's own session: the National CERT's incident-handling drill with KP CERT
 * in the room in Peshawar and Punjab CERT and Sindh CERT joining online. Then each provincial
 * CERT trains its institutions in a domain of the national baseline; two sessions are still to
 * come with people registered, one is a draft (what the gaps view drafts) and one was cancelled.
 * Names, head counts, who attends and how, and the ratings are fixed by the table and a hash of
 * the names: the same demo every time, its dates relative to the day it is made.
 *
 * Must never write around core/training: every invitation, registration, attendance, rating,
 * inbox item and audit entry is the one the API would have made.
 */
#include "base/common.h"

#include "base/rtime.h"
#include "core/auth.h"
#include "core/demo_content.h"
#include "core/demo_int.h"
#include "core/training.h"

#define HOUR 3600
#define DAY (24 * HOUR)
#define MAX_INVITED 9 /* eight orgs at most, then the zero roster that ends the list */

/* How an invited org's people take part: n registered, of whom in_person and virtual attend;
 * n 0 derives them from the session's mode and a hash of the names. */
struct roster {
    const char *slug;
    int n, in_person, virtual_;
};

struct demo_session {
    int day;   /* start, in days from today (negative: held) */
    int hour;  /* start hour, UTC (09:00 in Pakistan is 04:00 UTC) */
    int hours; /* how long */
    const char *owner;
    const char *title, *description;
    enum training_mode mode;
    const char *venue, *url;
    const char *topics[4];
    int capacity;                /* 0: no limit */
    enum training_status status; /* draft, scheduled; cancelled after it was scheduled */
    struct roster invited[MAX_INVITED];
};

/* The sessions, in content/demo/trainings.json: one object each, its members those of struct
 * demo_session (mode and status by their API names), each invited org a roster object. */
static const struct dc_member roster_members[] = {
    DC_MEMBER(struct roster, slug, DC_TEXT),
    DC_MEMBER(struct roster, n, DC_INT),
    DC_MEMBER(struct roster, in_person, DC_INT),
    DC_MEMBER_AS(struct roster, virtual_, "virtual", DC_INT),
};
static const struct dc_table roster_table = DC_TABLE(struct roster, roster_members);
#define M(m, kind) DC_MEMBER(struct demo_session, m, kind)
static const struct dc_member session_members[] = {
    M(day, DC_INT),          M(hour, DC_INT),
    M(hours, DC_INT),        M(owner, DC_TEXT),
    M(title, DC_TEXT),       M(description, DC_TEXT),
    DC_ENUM(struct demo_session, mode, training_mode_names),
    M(venue, DC_TEXT),       M(url, DC_TEXT),
    M(topics, DC_TEXTS),     M(capacity, DC_INT),
    DC_ENUM(struct demo_session, status, training_status_names),
    DC_ROWS(struct demo_session, invited, &roster_table),
};
#undef M
static const struct dc_table session_table = DC_TABLE(struct demo_session, session_members);

static const char *const first_names[] = {
    "Ayesha",  "Bilal",  "Sana",  "Zain",   "Hina",  "Omar",  "Farah",  "Usman",
    "Mehwish", "Hamza",  "Nadia", "Kashif", "Rabia", "Imran", "Saima",  "Tariq",
    "Zara",    "Faisal", "Amna",  "Junaid", "Iqra",  "Asad",  "Maryam", "Waqas",
};
static const char *const last_names[] = {
    "Khan",     "Ahmed", "Memon", "Shah", "Qureshi",   "Baloch", "Khattak", "Siddiqui",
    "Chaudhry", "Raza",  "Malik", "Butt", "Yousafzai", "Abbasi", "Mirza",   "Hussain",
};

static const char *const comments[] = {
    "Clear and practical; the exercises were the best part.",
    "Good session. More time for questions next time, please.",
    "We will take the checklist back to our IT section.",
    "",
    "The online audio dropped twice, but the slides helped.",
};

static const struct demo_org *org_by_slug(const struct demo_org *orgs, int norgs, const char *s)
{
    for (int i = 0; i < norgs; i++)
        if (strcmp(orgs[i].slug, s) == 0)
            return &orgs[i];
    return NULL;
}

/* The people of roster entry r of session s: how many register, and how each attends (0 absent,
 * 1 in person, 2 online). */
static int people_of(const struct demo_session *s, int r, int out[6])
{
    const struct roster *ro = &s->invited[r];
    unsigned h = demo_mix(s->title, ro->slug, r);
    int n = ro->n > 0 ? ro->n : 1 + (int)(h % 3);
    if (n > 6)
        n = 6;
    for (int k = 0; k < n; k++) {
        if (ro->n > 0) {
            out[k] = k < ro->in_person ? 1 : (k < ro->in_person + ro->virtual_ ? 2 : 0);
            continue;
        }
        bool absent = (h >> (k + 3)) % 6 == 0;
        int how = s->mode == TMODE_IN_PERSON ? 1
                  : s->mode == TMODE_VIRTUAL ? 2
                                             : (r == 0 || (h >> k) % 3 == 0 ? 1 : 2);
        out[k] = absent ? 0 : how;
    }
    return n;
}

static void time_of(int64_t t, char out[RB_TIME_SIZE])
{
    rb_time_format(t, out);
}

/* Plays one session: made 3 weeks before it starts (or 2 days ago, for one that comes soon),
 * registrations over the next days, attendance an hour in, feedback the day after. */
static int play(rb_db *db, const struct demo_org *orgs, int norgs, const struct demo_session *s,
                int64_t today, int *made, rb_errinfo *ei)
{
    const struct demo_org *owner = org_by_slug(orgs, norgs, s->owner);
    if (!owner)
        return rb_err(ei, RB_EINTERNAL, "", "demo: no org %s", s->owner);
    int64_t start = today + (int64_t)s->day * DAY + (int64_t)s->hour * HOUR;
    int64_t end = start + (int64_t)s->hours * HOUR;
    int64_t born = start - 21 * DAY;
    if (born > today - 2 * DAY)
        born = today - 2 * DAY;
    char starts[RB_TIME_SIZE], ends[RB_TIME_SIZE], id[RB_ID_SIZE];
    time_of(start, starts);
    time_of(end, ends);
    const char *invited[MAX_INVITED];
    int ninvited = 0;
    for (int r = 0; r < MAX_INVITED && s->invited[r].slug; r++) {
        const struct demo_org *o = org_by_slug(orgs, norgs, s->invited[r].slug);
        if (!o)
            return rb_err(ei, RB_EINTERNAL, "", "demo: no org %s", s->invited[r].slug);
        invited[ninvited++] = o->id;
    }
    int ntopics = 0;
    while (ntopics < 4 && s->topics[ntopics])
        ntopics++;
    struct training_input in;
    training_input_init(&in);
    in.title = s->title;
    in.description = s->description;
    in.topics = (const char **)s->topics;
    in.ntopics = ntopics;
    in.mode = (int)s->mode;
    in.starts_at = starts;
    in.ends_at = ends;
    in.venue = s->venue;
    in.meeting_url = s->url;
    in.invited_org_ids = invited;
    in.ninvited = ninvited;
    in.capacity = s->capacity;
    in.status = s->status == TSTATUS_DRAFT ? TSTATUS_DRAFT : TSTATUS_SCHEDULED;
    /* The CERT's analyst leads; its admin organises with them (decision 75). */
    const char *staff[2] = {owner->analyst, owner->admin};
    in.staff_user_ids = staff;
    in.nstaff = 2;
    rb_actor organiser, who;
    int rc = auth_load_actor(db, owner->analyst, &organiser);
    if (rc)
        return rc;
    rb_time_set_fake(born);
    if ((rc = training_create(db, &organiser, &in, id, ei)))
        return rc;
    (*made)++;
    if (s->status == TSTATUS_DRAFT)
        return 0;
    if (s->status == TSTATUS_CANCELLED) {
        struct training_input c;
        training_input_init(&c);
        c.status = TSTATUS_CANCELLED;
        rb_time_set_fake(born + 5 * DAY);
        return training_update(db, &organiser, id, &c, ei);
    }
    /* Registrations: each org registers its people a few days after the invitation. */
    char pids[MAX_INVITED][6][RB_ID_SIZE];
    int how[MAX_INVITED][6], n[MAX_INVITED];
    for (int r = 0; r < ninvited; r++) {
        const struct demo_org *o = org_by_slug(orgs, norgs, s->invited[r].slug);
        n[r] = people_of(s, r, how[r]);
        if ((rc = auth_load_actor(db, o->reporter, &who)))
            return rc;
        int64_t when = born + (int64_t)(1 + (int)(demo_mix(s->title, o->slug, 7) % 6)) * DAY;
        if (when >= start)
            when = born + HOUR;
        if (when > today)
            when = today - HOUR;
        rb_time_set_fake(when);
        for (int k = 0; k < n[r]; k++) {
            unsigned h = demo_mix(s->title, o->slug, 100 + k);
            char name[96];
            rb_fmt(name, sizeof(name), "%s %s", first_names[h % RB_ARRAY_LEN(first_names)],
                   last_names[(h / 31) % RB_ARRAY_LEN(last_names)]);
            struct person_input p = {NULL, name, NULL};
            if ((rc = training_register(db, &who, id, &p, pids[r][k], ei)) == RB_ECONFLICT) {
                /* the same name twice in one org: the second one is someone else */
                rb_fmt(name, sizeof(name), "%s %s",
                       first_names[(h / 7) % RB_ARRAY_LEN(first_names)],
                       last_names[(h / 131) % RB_ARRAY_LEN(last_names)]);
                rc = training_register(db, &who, id, &p, pids[r][k], ei);
            }
            if (rc == RB_ECONFLICT) {
                rb_errinfo_clear(ei);
                pids[r][k][0] = '\0';
                rc = 0;
            }
            if (rc)
                return rc;
        }
    }
    if (start > today)
        return 0; /* still to come */
    /* The day: attendance an hour in, as the organiser checks the room and the call. */
    rb_time_set_fake(start + HOUR);
    for (int r = 0; r < ninvited; r++)
        for (int k = 0; k < n[r]; k++)
            if (pids[r][k][0] && how[r][k] &&
                (rc = training_attend(db, &organiser, id, pids[r][k],
                                      how[r][k] == 1 ? TMODE_IN_PERSON : TMODE_VIRTUAL, ei)))
                return rc;
    /* Feedback the next day, from most of those who came. */
    rb_time_set_fake(end + DAY);
    for (int r = 0; r < ninvited; r++) {
        const struct demo_org *o = org_by_slug(orgs, norgs, s->invited[r].slug);
        if ((rc = auth_load_actor(db, o->reporter, &who)))
            return rc;
        for (int k = 0; k < n[r]; k++) {
            unsigned h = demo_mix(s->title, o->slug, 200 + k);
            if (!pids[r][k][0] || !how[r][k] || h % 4 == 0)
                continue;
            int rating = 3 + (int)(h % 3);
            if (how[r][k] == 2 && h % 5 == 0)
                rating = 2; /* the connection was poor */
            const char *c = comments[(h / 5) % RB_ARRAY_LEN(comments)];
            if ((rc = training_feedback(db, &who, id, pids[r][k], rating, c[0] ? c : NULL, ei)))
                return rc;
        }
    }
    return 0;
}

int demo_seed_trainings(rb_db *db, const struct demo_org *orgs, int norgs, int *created,
                        rb_errinfo *ei)
{
    int64_t today = rb_now() / DAY * DAY;
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    const struct demo_session *sessions = NULL;
    int made = 0, n = 0;
    int rc = dc_read(DC_FILE(trainings), &session_table, &a, &sessions, &n, ei);
    for (int i = 0; !rc && i < n; i++)
        rc = play(db, orgs, norgs, &sessions[i], today, &made, ei);
    rb_time_set_fake(-1);
    rb_arena_release(&a);
    if (created)
        *created = made;
    return rc;
}
