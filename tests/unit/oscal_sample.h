/*
 * oscal_sample.h - the reviewed self-assessment that the OSCAL writers' tests
 * (formats/oscal_results, formats/oscal_poam) and bench/results_bench export: Punjab Health's
 * answers to the "Punjab essentials" campaign, accepted by the Punjab CERT. Include it after
 * "formats/oscal.h".
 */
#ifndef RABTA_TEST_OSCAL_SAMPLE_H
#define RABTA_TEST_OSCAL_SAMPLE_H

#define SAMPLE_A_ID "6b98362b-b552-462d-a4be-dad01601f58c"
#define SAMPLE_ORG "10925f53-2455-4639-9f38-d04b1d7258ac"
#define SAMPLE_CERT "8e1b0d19-5668-4d14-8a95-7526bda16ed8"
#define SAMPLE_NS "https://cert.example.gov"

/* The assessment with its n items and score; no plan href or result uuid (the test sets them
 * when it needs them). */
static inline struct oscal_results tu_oscal_sample(const struct oscal_result_item *items, int n,
                                                   double score)
{
    struct oscal_results r = {
        .uuid = SAMPLE_A_ID,
        .campaign_title = "Punjab essentials",
        .org_name = "Punjab Health",
        .org_uuid = SAMPLE_ORG,
        .reviewer_uuid = SAMPLE_CERT,
        .reviewer_name = "Punjab CERT",
        .status = "accepted",
        .score = score,
        .last_modified = "2026-03-02T10:00:00Z",
        .updated_at = "2026-03-02T10:00:00Z",
        .submitted_at = "2026-03-01T09:00:00Z",
        .reviewed_at = "2026-03-02T10:00:00Z",
        .ns = SAMPLE_NS,
        .marking = "TLP:AMBER+STRICT",
        .items = items,
        .nitems = n,
    };
    return r;
}

#endif
