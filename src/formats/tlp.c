/* tlp.c - the TLP table (DESIGN §5 "TLP <-> formats"). */
#include "base/common.h"
#include "formats/tlp.h"

#define STIX_MD "marking-definition--"

static const struct tlp_info tlp_table[TLP__COUNT] = {
    {TLP_CLEAR, "CLEAR", STIX_MD "94868c89-83c2-464b-929b-a1a8aa3c8487",
     STIX_MD "613f2e26-407d-48c7-9eca-b8e91df99dc9", "WHITE", "tlp:clear", "TLP:CLEAR", "clear"},
    {TLP_GREEN, "GREEN", STIX_MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
     STIX_MD "34098fce-860f-48ae-8e50-ebd3cc5e41da", "GREEN", "tlp:green", "TLP:GREEN", "green"},
    {TLP_AMBER, "AMBER", STIX_MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
     STIX_MD "f88d31f6-486f-44da-b317-01333bde0b82", "AMBER", "tlp:amber", "TLP:AMBER", "amber"},
    /* CSAF 2.0 has no AMBER+STRICT: exported as AMBER with the restriction in distribution.text */
    {TLP_AMBER_STRICT, "AMBER+STRICT", STIX_MD "939a9414-2ddd-4d32-a0cd-375ea402b003", NULL,
     "AMBER", "tlp:amber+strict", "TLP:AMBER+STRICT", "amber+strict"},
    {TLP_RED, "RED", STIX_MD "e828b379-4e03-4974-9ac4-e53a884c97c1",
     STIX_MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "RED", "tlp:red", "TLP:RED", "red"},
};

const char *const tlp_names[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL};
const struct rb_mtype tlp_mtype = {
    .kind = RB_MT_ENUM, .size = sizeof(enum rb_tlp), .names = tlp_names, .fallback = TLP_RED};

const struct tlp_info *tlp_info(enum rb_tlp level)
{
    if ((int)level < 0 || level >= TLP__COUNT)
        return NULL;
    return &tlp_table[level];
}

const char *tlp_name(enum rb_tlp level)
{
    const struct tlp_info *t = tlp_info(level);
    return t ? t->name : "?";
}

int tlp_parse(const char *s, enum rb_tlp *out)
{
    if (!s)
        return RB_EINVAL;
    if (strncasecmp(s, "TLP:", 4) == 0)
        s += 4;
    if (strcasecmp(s, "WHITE") == 0) {
        *out = TLP_CLEAR;
        return 0;
    }
    for (int i = 0; i < TLP__COUNT; i++)
        if (strcasecmp(s, tlp_table[i].name) == 0) {
            *out = tlp_table[i].level;
            return 0;
        }
    return RB_EINVAL;
}

int tlp_from_stix_id(const char *id, enum rb_tlp *out)
{
    for (int i = 0; i < TLP__COUNT; i++)
        if (strcmp(id, tlp_table[i].stix_id) == 0 ||
            (tlp_table[i].stix1_id && strcmp(id, tlp_table[i].stix1_id) == 0)) {
            *out = tlp_table[i].level;
            return 0;
        }
    return RB_ENOTFOUND;
}
