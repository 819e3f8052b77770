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

/* clang-format off */
static const struct story stories[] = {
    /* ---- Punjab: Punjab CERT acknowledges within hours ---- */
    {.key = "pb-ransomware", .by = "pb-health", .day = 74.2, .detect_h = 3,
     .cls = "malicious-code", .type = "infected-system", .sev = SEV_EMERGENCY,
     .title = "Ransomware on the patient records servers of three district hospitals",
     .description = "Staff at the district headquarters hospitals of Sahiwal, Okara and Pakpattan "
                    "found patient records unreadable and a ransom note on the file servers this "
                    "morning. Admissions run on paper. The three servers share one Windows domain "
                    "with the directorate's head office.",
     .services = "Hospital information system; patient records file servers; admissions",
     .ack_h = 0.5, .to = IST_CLOSED, .step_h = 40, .notify_h = 30, .final_d = 24,
     .note = "The malware lab has the sample: a known strain that spreads over SMB with a stolen "
             "domain administrator password. Disable that account and block SMB between the "
             "hospital sites now.",
     .reply = "Domain administrator password reset and SMB blocked between sites. Restoring from "
              "the offline backup taken on Sunday."},
    {.key = "pb-ransomware-dup", .by = "pb-health", .day = 74.15, .detect_h = 4,
     .cls = "malicious-code", .type = "infected-system", .sev = SEV_EMERGENCY,
     .title = "File server encrypted and ransom message on screens at the Okara hospital",
     .description = "Reported by the hospital's IT officer, who did not know that the directorate "
                    "had reported the outbreak already.",
     .services = "Okara hospital file server", .to = IST_MERGED},
    {.key = "pb-phish", .by = "pb-finance", .day = 61.4, .detect_h = 5,
     .cls = "fraud", .type = "phishing", .sev = SEV_HIGH,
     .title = "Phishing e-mails imitating the Accountant General's salary slip portal",
     .description = "More than 200 staff received an e-mail saying their salary slip was ready, "
                    "with a link to a copy of the AG office sign-in page on a look-alike domain. At "
                    "least 14 people entered their passwords before the link was blocked.",
     .services = "Staff e-mail; salary slip portal accounts",
     .ack_h = 1.2, .ack2_h = 4, .to = IST_RECOVERED, .step_h = 20, .notify_h = 26,
     .escalate = "The same lure and look-alike domain are reported by finance departments in "
                 "other provinces; it needs national coordination and one takedown request.",
     .note = "Look-alike domain blocked at the provincial resolvers. Please force a password change "
             "for everyone who clicked.",
     .reply = "Passwords changed for the 14 accounts; two had been used from abroad already and "
              "are locked."},
    {.key = "lhr-scada", .by = "lhr-water", .day = 40.6, .detect_h = 6,
     .cls = "intrusions", .type = "system-compromise", .sev = SEV_SEVERE, .cii = true,
     .title = "Unauthorised logins to the SCADA historian from an unknown address",
     .description = "The historian that collects the pump stations' readings shows three "
                    "successful remote desktop logins at night with a maintenance account that is "
                    "normally disabled. No change to set points has been found so far.",
     .services = "SCADA historian; remote maintenance access",
     .ack_h = 1, .to = IST_ERADICATED, .step_h = 30, .notify_h = 40,
     .note = "Take the historian off the remote access VPN but keep it running; do not reimage it "
             "before we have an image of its disk.",
     .reply = "Disconnected from the VPN at 11:20. The vendor confirms nobody of theirs logged in."},
    {.key = "pb-deface", .by = "punjab-cert", .about = "pb-landrecords", .day = 33.2,
     .detect_h = 1, .cls = "information-content-security",
     .type = "unauthorised-information-modification", .sev = SEV_MEDIUM,
     .title = "Defacement of the land records public portal",
     .description = "Our website monitoring saw the home page of the land records portal replaced "
                    "by a political message at 02:10. The attacker came in through an outdated "
                    "plugin of the content management system.",
     .services = "Land records public portal",
     .ack_h = 0.3, .to = IST_CLOSED, .step_h = 18, .notify_h = 20, .final_d = 12,
     .note = "Portal offline and the plugin removed; the original pages are back from the hosting "
             "provider's backup.",
     .reply = "Thank you. The vendor is updating the plugins of our other two sites as well."},
    {.key = "pb-1122", .by = "pb-emergency", .day = 12.3, .detect_h = 0.5,
     .cls = "availability", .type = "ddos", .sev = SEV_SEVERE,
     .title = "DDoS on the emergency service's online gateway",
     .description = "The gateway that passes requests from the mobile app to the call centre has "
                    "been flooded from thousands of addresses since 19:40. Phone calls still work; "
                    "app requests time out.",
     .services = "Emergency mobile app gateway; public website",
     .ack_h = 0.6, .to = IST_RECOVERED, .step_h = 10, .notify_h = 30,
     .note = "Scrubbing requested from the upstream transit provider; expect the gateway back "
             "within the hour."},
    {.key = "pb-vendor", .by = "pb-finance", .day = 5.3, .detect_h = 2,
     .cls = "malicious-code", .type = "infected-system", .sev = SEV_MEDIUM,
     .title = "Vendor laptop with malware connected to the treasury network",
     .description = "A support engineer of the accounting software vendor plugged his own laptop "
                    "into the treasury LAN; the network sensor flagged traffic typical of an "
                    "information stealer. The laptop was disconnected after 40 minutes.",
     .services = "Treasury LAN", .ack_h = 2.5, .to = IST_TRIAGED},
    {.by = "pb-health", .day = 20.7, .cls = "information-gathering", .type = "scanner",
     .sev = SEV_LOW, .title = "Scanning of the hospitals' VPN gateways from abroad",
     .description = "The directorate's firewall logged systematic probing of every hospital's VPN "
                    "gateway from a hosting provider abroad over two days. No login succeeded.",
     .services = "Hospital VPN gateways", .ack_h = 5, .to = IST_CLOSED, .step_h = 24},
    {.by = "pb-landrecords", .day = 1.9, .detect_h = 3, .cls = "intrusion-attempts",
     .type = "brute-force", .sev = SEV_MEDIUM,
     .title = "Password guessing against the e-registration portal",
     .description = "The portal for property transfers received about 40,000 failed sign-ins "
                    "overnight from a few hundred addresses, most for the accounts of deed "
                    "writers.",
     .services = "E-registration portal", .ack_h = 3.1, .to = IST_TRIAGED},
    {.by = "lhr-water", .day = 0.3, .detect_h = 6, .cls = "fraud", .type = "masquerade",
     .sev = SEV_LOW, .title = "Text messages asking customers to pay bills into a private wallet",
     .description = "Customers forward text messages that claim to come from the water company and "
                    "ask them to pay overdue bills into a mobile wallet. The sender name imitates "
                    "ours.",
     .services = "Customer billing"},
    {.by = "pb-power", .day = 47.5, .cls = "fraud", .type = "phishing", .sev = SEV_HIGH,
     .title = "Spear-phishing of grid control room engineers",
     .description = "Six engineers received a tailored e-mail about a new load-shedding schedule "
                    "with a macro-enabled spreadsheet. One opened it, on an office PC; the control "
                    "network is separate.",
     .services = "Office network", .ack_h = 1.5, .to = IST_CLOSED, .step_h = 20, .notify_h = 30,
     .final_d = 20,
     .note = "The macro downloads a loader we have seen before. Keep the office PC isolated and "
             "send us the spreadsheet."},

    /* ---- Sindh ---- */
    {.key = "sd-phish", .by = "sd-revenue", .day = 60.8, .detect_h = 10, .cls = "fraud",
     .type = "phishing", .sev = SEV_HIGH,
     .title = "Sales tax portal credentials harvested by a look-alike site",
     .description = "Registered taxpayers received e-mails about a refund with a link to a copy of "
                    "the sales tax portal. Our staff got the same e-mail; two staff accounts were "
                    "then used from an unknown address.",
     .services = "Sales tax e-portal; staff e-mail",
     .ack_h = 4.5, .ack2_h = 7, .to = IST_CONTAINED, .step_h = 48, .notify_h = 50,
     .escalate = "The look-alike site matches the campaign reported from Punjab; the National CERT "
                 "should coordinate one takedown."},
    {.key = "khi-port-tos", .by = "khi-port", .day = 28.4, .detect_h = 8,
     .cls = "information-content-security", .type = "unauthorised-information-modification",
     .sev = SEV_SEVERE, .cii = true, .tlp = "AMBER+STRICT",
     .title = "Intrusion into the terminal operating system; release orders altered",
     .description = "Three container release orders were changed to another haulier in the "
                    "terminal operating system, from a valid clerk account outside working hours. "
                    "Shared with Sindh CERT only for now.",
     .services = "Terminal operating system; container release",
     .ack_h = 6.5, .to = IST_ERADICATED, .step_h = 36, .notify_h = 60,
     .note = "Acknowledged late, apologies. We have asked for the clerk account's sign-in history "
             "and the database audit trail.",
     .reply = "Clerk account disabled. The three containers were stopped at the gate and customs "
              "informed."},
    {.by = "sd-education", .day = 45.3, .detect_h = 12, .cls = "information-content-security",
     .type = "data-leak", .sev = SEV_HIGH,
     .title = "Student records from the examination database offered for sale",
     .description = "A seller on a messaging channel offers names, CNIC numbers and marks of about "
                    "300,000 students; the sample matches our 2025 examination database.",
     .services = "Examination results database",
     .ack_h = 7, .to = IST_RECOVERED, .step_h = 60, .notify_h = 40, .final_d = 27,
     .note = "Please check who can export from the results database and since when the reporting "
             "server has been reachable from outside."},
    {.by = "sd-health", .day = 15.6, .cls = "intrusions", .type = "unprivileged-account-compromise",
     .sev = SEV_MEDIUM, .title = "Hospital mailboxes sending spam after password guessing",
     .description = "Four mailboxes of the health information unit sent thousands of spam messages "
                    "overnight. Their passwords were weak and the mail server had no lockout.",
     .services = "E-mail", .ack_h = 9, .to = IST_CLOSED, .step_h = 20},
    {.key = "khi-water-hmi", .by = "khi-water", .day = 8.4, .cls = "vulnerable",
     .type = "vulnerable-system", .sev = SEV_HIGH, .cii = true,
     .title = "Pump station operator panel reachable from the internet",
     .description = "An internet scan lists the operator panel of a bulk water pump station with "
                    "its sign-in page open to the internet. A contractor set it up for remote "
                    "support.",
     .services = "Pump station HMI", .ack_h = 2.2, .to = IST_TRIAGED},
    {.by = "sd-revenue", .day = 25.2, .cls = "availability", .type = "misconfiguration",
     .sev = SEV_BASELINE, .title = "Revenue website unavailable after a firewall change",
     .description = "A firewall rule change blocked the revenue website for three hours. Not an "
                    "attack; reported for the record because filings were affected.",
     .services = "Revenue website", .ack_h = 30, .to = IST_CLOSED, .step_h = 5},
    {.by = "khi-port", .day = 2.5, .cls = "information-content-security",
     .type = "unauthorised-information-access", .sev = SEV_MEDIUM, .tlp = "AMBER+STRICT",
     .title = "Cargo manifests downloaded by an unknown account",
     .description = "The manifest portal logged downloads of 400 cargo manifests by a customs "
                    "broker account that the broker says it does not use. For Sindh CERT only "
                    "while we find out more.",
     .services = "Cargo manifest portal"},
    {.by = "sd-education", .day = 3.2, .cls = "malicious-code", .type = "malware-distribution",
     .sev = SEV_MEDIUM, .title = "Payroll e-mails to teachers with a malicious macro attachment",
     .description = "District education offices received an e-mail titled 'revised pay scale' "
                    "with a Word attachment that runs a macro. Two clerks opened it; antivirus "
                    "removed the payload on one PC only.",
     .services = "District office PCs", .ack_h = 10, .to = IST_TRIAGED},

    /* ---- Khyber Pakhtunkhwa: KP CERT acknowledges within minutes ---- */
    {.key = "kp-webshell", .by = "kp-itboard", .day = 70.5, .detect_h = 4,
     .cls = "intrusions", .type = "application-compromise", .sev = SEV_HIGH,
     .title = "Web shell found on the citizen services portal",
     .description = "The file integrity check found a PHP web shell in the upload folder of the "
                    "citizen services portal. It came in through the complaint form's attachment "
                    "field, which did not check file types.",
     .services = "Citizen services portal",
     .ack_h = 0.2, .to = IST_CLOSED, .step_h = 30, .notify_h = 20, .final_d = 22,
     .note = "Keep the server running but take it out of the load balancer; an analyst is on the "
             "way."},
    {.by = "kp-health", .day = 52.2, .cls = "malicious-code", .type = "infected-system",
     .sev = SEV_MEDIUM, .title = "Ransomware stopped on two clinic workstations",
     .description = "Endpoint protection stopped a ransomware program on two workstations of a "
                    "basic health unit in Mardan. It came on a USB stick used to carry reports.",
     .services = "Clinic workstations", .ack_h = 0.3, .to = IST_CLOSED, .step_h = 20},
    {.by = "psh-transit", .day = 37.3, .detect_h = 1, .cls = "malicious-code",
     .type = "infected-system", .sev = SEV_SEVERE, .cii = true,
     .title = "Fare card top-up kiosks showing a ransom message",
     .description = "Eleven of the forty top-up kiosks at bus rapid transit stations show a ransom "
                    "message. The kiosks run an old Windows version and share one management "
                    "server.",
     .services = "Fare card top-up kiosks", .ack_h = 0.7, .to = IST_RECOVERED, .step_h = 24,
     .notify_h = 30, .final_d = 25},
    {.by = "kp-hydro", .day = 18.2, .cls = "intrusion-attempts", .type = "brute-force",
     .sev = SEV_MEDIUM, .title = "Repeated VPN sign-in failures for a contractor account",
     .description = "The VPN logged about 3,000 failed sign-ins for one contractor account over a "
                    "weekend, from addresses in several countries. The account is disabled.",
     .services = "Remote access VPN", .ack_h = 0.25, .to = IST_CLOSED, .step_h = 12},
    {.by = "kp-education", .day = 10.1, .cls = "information-content-security",
     .type = "unauthorised-information-modification", .sev = SEV_MEDIUM,
     .title = "School admissions page defaced",
     .description = "The online admissions page of the elementary education directorate showed "
                    "an image and a message of a hacking group for about two hours.",
     .services = "School admissions website", .ack_h = 0.4, .to = IST_RECOVERED, .step_h = 20,
     .notify_h = 30},
    {.by = "kp-itboard", .day = 4.2, .detect_h = 2, .cls = "intrusions",
     .type = "privileged-account-compromise", .sev = SEV_HIGH,
     .title = "Name servers of a government domain changed without approval",
     .description = "The name servers of a provincial government domain were changed at the "
                    "registrar, sending mail and web traffic to an unknown host for six hours. The "
                    "registrar account had no two-factor sign-in.",
     .services = "DNS; e-mail; websites", .ack_h = 0.15, .to = IST_CONTAINED, .step_h = 14,
     .notify_h = 20,
     .note = "Registrar account recovered and two-factor sign-in enforced. Check which mail went "
             "to the rogue host during those six hours."},
    {.by = "kp-health", .day = 1.1, .cls = "fraud", .type = "masquerade", .sev = SEV_LOW,
     .title = "Fake vaccination certificate site using the department's logo",
     .description = "A website sells vaccination certificates and uses the health department's "
                    "name and logo.",
     .ack_h = 0.5, .to = IST_TRIAGED},
    {.by = "kp-education", .day = 30.5, .cls = "test", .type = "test", .sev = SEV_BASELINE,
     .title = "Test report from the new focal person",
     .description = "Testing the report form now that my account exists. Please ignore.",
     .ack_h = 0.3, .to = IST_REJECTED, .step_h = 0.2,
     .note = "The form works. Rejected as a test."},

    /* ---- Balochistan: Balochistan CERT acknowledges late or not at all ---- */
    {.key = "bl-phish", .by = "bl-finance", .day = 59.9, .detect_h = 20, .cls = "fraud",
     .type = "phishing", .sev = SEV_HIGH,
     .title = "Look-alike salary slip e-mails reach the finance department",
     .description = "Staff report the same salary slip e-mail that other provinces have seen. We "
                    "do not know yet whether anyone entered a password.",
     .services = "Staff e-mail", .ack2_h = 10, .to = IST_CONTAINED, .step_h = 40},
    {.by = "qta-water", .day = 47.2, .cls = "malicious-code", .type = "infected-system",
     .sev = SEV_HIGH, .cii = true, .title = "Billing server encrypted by ransomware",
     .description = "The billing server of the Quetta water supply office was encrypted "
                    "overnight. The last backup is three weeks old.",
     .services = "Customer billing", .ack_h = 1.5, .to = IST_RECOVERED, .step_h = 48,
     .notify_h = 60},
    {.by = "bl-health", .day = 35.4, .cls = "other", .type = "undetermined", .sev = SEV_LOW,
     .title = "Unknown USB devices found on pharmacy stock computers",
     .description = "An audit found small USB devices plugged into the back of two computers that "
                    "keep medicine stock records. Nobody knows who installed them.",
     .services = "Pharmacy stock records", .ack_h = 60, .to = IST_CONTAINED, .step_h = 48},
    {.by = "bl-mines", .day = 22.2, .cls = "information-content-security",
     .type = "unauthorised-information-modification", .sev = SEV_MEDIUM,
     .title = "Royalty records altered in the mining lease system",
     .description = "Royalty amounts of eleven mining leases were lowered in the lease management "
                    "system, with the account of an officer who was on leave.",
     .services = "Mining lease management system", .ack2_h = 30, .to = IST_CONTAINED,
     .step_h = 48},
    {.by = "bl-finance", .day = 9.3, .cls = "fraud", .type = "unauthorised-use-of-resources",
     .sev = SEV_LOW, .title = "Pension office website serving a cryptominer script",
     .description = "Visitors' browsers slow down on the pension office website; a script "
                    "injected into the page footer mines cryptocurrency.",
     .services = "Pension office website", .ack_h = 64, .to = IST_TRIAGED},
    {.by = "qta-water", .day = 40.3, .cls = "availability", .type = "outage",
     .sev = SEV_BASELINE, .title = "Customer portal down for a day after a hosting outage",
     .description = "The hosting company lost power at its data centre; the customer portal was "
                    "unavailable for 26 hours.",
     .services = "Customer portal", .ack_h = 50, .to = IST_CLOSED, .step_h = 10},
    {.by = "bl-health", .day = 1.6, .cls = "fraud", .type = "phishing", .sev = SEV_MEDIUM,
     .title = "E-mail with a fake lab results attachment",
     .description = "Doctors received an e-mail with 'lab results' attached that asks for their "
                    "e-mail password to open it.",
     .services = "Staff e-mail"},
    {.by = "bl-mines", .day = 6.4, .cls = "information-gathering", .type = "scanner",
     .sev = SEV_BASELINE, .title = "Port scans against the mines office address range",
     .description = "The firewall logged scans of every address of the office for remote desktop, "
                    "database and camera ports."},

    /* ---- Gilgit-Baltistan: near the deadline ---- */
    {.by = "gb-power", .day = 50.2, .cls = "intrusions", .type = "unprivileged-account-compromise",
     .sev = SEV_HIGH, .title = "Dispatch mailbox compromised and used for invoice fraud",
     .description = "A supplier paid an invoice into a new bank account after an e-mail from our "
                    "dispatch office's real mailbox. Someone had added a forwarding rule to the "
                    "mailbox from an unknown address.",
     .services = "E-mail; supplier payments", .ack_h = 6.5, .to = IST_RECOVERED, .step_h = 40,
     .notify_h = 60},
    {.by = "gb-tourism", .day = 27.3, .detect_h = 30, .cls = "information-content-security",
     .type = "data-leak", .sev = SEV_HIGH,
     .title = "Hotel booking portal leaking guests' passport scans",
     .description = "Anyone who changed the number in a booking link could download the passport "
                    "scans uploaded by foreign guests. A journalist told us.",
     .services = "Hotel booking portal", .ack_h = 7.6, .to = IST_CONTAINED, .step_h = 48,
     .notify_h = 70},
    {.by = "gb-finance", .day = 14.1, .cls = "malicious-code", .type = "infected-system",
     .sev = SEV_MEDIUM, .title = "Treasury workstation infected through a cracked installer",
     .description = "An accountant installed a cracked PDF editor; the installer added a remote "
                    "access tool, found by the weekly scan.",
     .services = "Treasury workstations", .ack_h = 21, .to = IST_ERADICATED, .step_h = 30},
    {.by = "gb-health", .day = 3.3, .cls = "availability", .type = "ddos", .sev = SEV_MEDIUM,
     .title = "DDoS on the health department website during a vaccination drive",
     .description = "The website with the list of vaccination centres was unreachable for most of "
                    "the day while people were looking for it.",
     .services = "Health department website", .ack2_h = 27, .to = IST_CONTAINED, .step_h = 20},
    {.by = "gb-cert", .about = "gb-tourism", .day = 0.8, .cls = "intrusions",
     .type = "unprivileged-account-compromise", .sev = SEV_LOW,
     .title = "Tourism office social media account hijacked",
     .description = "The tourism office's page posts investment scam adverts and the office cannot "
                    "sign in any more. Seen on our monitoring; reported on the office's behalf.",
     .services = "Social media page"},

    /* ---- Azad Jammu & Kashmir ---- */
    {.by = "ajk-power", .day = 44.6, .cls = "vulnerable", .type = "vulnerable-system",
     .sev = SEV_MEDIUM, .title = "Meter data server reachable with the vendor's default password",
     .description = "A penetration test found the admin page of the meter data management server "
                    "reachable from the office network with the vendor's default password.",
     .services = "Meter data management", .ack_h = 3, .to = IST_CLOSED, .step_h = 30},
    {.by = "ajk-disaster", .day = 19.3, .detect_h = 1, .cls = "intrusions",
     .type = "application-compromise", .sev = SEV_SEVERE,
     .title = "Flood warning SMS gateway abused to send a fake evacuation alert",
     .description = "The gateway used for flood warnings sent a fake evacuation alert to 60,000 "
                    "subscribers in Muzaffarabad. Its web console was reachable from the internet "
                    "with a password several staff shared.",
     .services = "Flood warning SMS gateway",
     .ack_h = 1.2, .to = IST_RECOVERED, .step_h = 12, .notify_h = 18, .final_d = 18,
     .note = "Console off the internet. Prepare a correction with the district administration; we "
             "will help with the wording.",
     .reply = "Correction sent to every subscriber at 16:30."},
    {.key = "ajk-directory", .by = "ajk-health", .day = 11.2,
     .cls = "information-content-security", .type = "unauthorised-information-access",
     .sev = SEV_MEDIUM, .title = "Staff directory copied by an unknown party",
     .description = "The HR system's export of all staff with phone numbers was downloaded with "
                    "the account of a retired employee that was never disabled.",
     .services = "HR system", .ack_h = 5, .to = IST_TRIAGED},
    {.by = "ajk-finance", .day = 2.2, .cls = "fraud", .type = "masquerade", .sev = SEV_HIGH,
     .title = "Payment approval e-mails spoofing the finance secretary",
     .description = "Section officers received e-mails from a look-alike address in the finance "
                    "secretary's name, asking them to approve urgent payments to a contractor.",
     .services = "E-mail; payment approvals", .ack_h = 4, .to = IST_CONTAINED, .step_h = 20},

    /* ---- Federal Government CERT (Islamabad): within the hour ---- */
    {.by = "fed-foreign", .day = 80.4, .cls = "fraud", .type = "phishing", .sev = SEV_HIGH,
     .title = "Spear-phishing of embassy staff with a fake visa circular",
     .description = "Staff at nine missions received a circular about a new visa policy with a "
                    "link to a fake webmail page, sent from a compromised account of a partner "
                    "ministry.",
     .services = "Missions' webmail",
     .ack_h = 0.5, .to = IST_CLOSED, .step_h = 40, .notify_h = 24, .final_d = 28,
     .note = "We have the sending account's logs from the partner ministry; no other missions are "
             "affected."},
    {.key = "fed-insider", .by = "fed-identity", .day = 42.3, .cls = "information-content-security",
     .type = "data-leak", .sev = SEV_HIGH, .cii = true, .tlp = "RED",
     .title = "Insider exporting citizen records to a personal drive",
     .description = "Data loss prevention flagged an export of about 1.2 million citizen records "
                    "by an employee of the verification unit to a personal cloud drive. The "
                    "employee is suspended. For the Federal Government CERT only.",
     .services = "Citizen verification database",
     .ack_h = 0.6, .to = IST_CONTAINED, .step_h = 72, .notify_h = 48},
    {.by = "fed-tax", .day = 31.1, .cls = "availability", .type = "dos", .sev = SEV_MEDIUM,
     .title = "Tax filing portal slowed by an application-layer flood",
     .description = "On the last filing day a flood of search requests from a few hundred "
                    "addresses slowed the portal; responses took up to a minute.",
     .services = "Tax filing portal", .ack_h = 0.8, .to = IST_CLOSED, .step_h = 8},
    {.key = "fed-pension-calls", .by = "fed-pensions", .day = 7.2,
     .cls = "information-content-security", .type = "data-leak", .sev = SEV_MEDIUM,
     .title = "Pensioners called by fraudsters who know their pension numbers",
     .description = "Pensioners report calls from people who quote their pension number and bank "
                    "branch and then ask for a verification code.",
     .services = "Pension disbursement records", .ack_h = 1, .to = IST_TRIAGED},
    {.by = "fed-tolls", .day = 16.4, .cls = "malicious-code", .type = "infected-system",
     .sev = SEV_SEVERE, .cii = true, .title = "Toll plaza card readers offline after a worm",
     .description = "Card readers at 14 toll plazas went offline; the lane computers carry a worm "
                    "that spreads through an old file sharing service. Cash lanes are open.",
     .services = "Toll collection lanes", .ack_h = 5, .to = IST_ERADICATED, .step_h = 30,
     .notify_h = 50},
    {.by = "fed-foreign", .day = 0.5, .cls = "intrusion-attempts", .type = "brute-force",
     .sev = SEV_MEDIUM, .title = "Sign-ins to the ministry webmail with leaked passwords",
     .description = "The webmail logs show sign-ins tried with the exact passwords of several "
                    "staff, probably from an old leak. One succeeded.",
     .services = "Webmail"},
    {.by = "fed-tax", .day = 23.5, .cls = "vulnerable", .type = "vulnerable-system",
     .sev = SEV_LOW, .title = "Old file transfer server with a known critical flaw exposed",
     .description = "A scan report names an address of ours running a file transfer server with a "
                    "known critical vulnerability.",
     .ack_h = 0.7, .to = IST_REJECTED, .step_h = 2,
     .note = "The address has belonged to another agency since March; the report went to them. "
             "Rejected for the tax administration."},

    /* ---- Telecom Sector CERT (no province) ---- */
    {.by = "indus-fibre", .day = 66.3, .cls = "availability", .type = "sabotage",
     .sev = SEV_EMERGENCY, .cii = true, .title = "Fibre cut and tampering at two backbone junctions",
     .description = "Fibre was cut at two junction boxes on the northern route within an hour, and "
                    "a splice tray was opened at a third. Traffic runs on the southern route with "
                    "less capacity.",
     .services = "Northern backbone route",
     .ack_h = 1.4, .to = IST_CLOSED, .step_h = 30, .notify_h = 20, .final_d = 29,
     .note = "Acknowledged late: the analyst on call was on another incident. We are coordinating "
             "the physical side with law enforcement."},
    {.by = "khyber-mobile", .day = 21.2, .cls = "availability", .type = "ddos",
     .sev = SEV_SEVERE, .cii = true, .title = "Volumetric DDoS on the mobile network's DNS resolvers",
     .description = "Our DNS resolvers received up to 180 Gbit/s of reflected traffic for four "
                    "hours; mobile data was degraded in the north.",
     .services = "Mobile data; DNS resolvers", .ack_h = 0.8, .to = IST_RECOVERED, .step_h = 10,
     .notify_h = 30},
    {.key = "sim-swap", .by = "sapphire-telecom", .day = 34.6, .cls = "fraud", .type = "masquerade",
     .sev = SEV_HIGH, .title = "SIM swap fraud through a compromised reseller account",
     .description = "Forty SIM cards were swapped in two days through one reseller's account, each "
                    "followed by transfers from the customer's bank account.",
     .services = "SIM replacement", .ack_h = 2, .to = IST_CONTAINED, .step_h = 36, .notify_h = 40},
    {.by = "nix-operator", .day = 13.3, .cls = "availability", .type = "misconfiguration",
     .sev = SEV_HIGH, .cii = true, .title = "Route leak from a member network at the exchange",
     .description = "A member network announced the full routing table to the route servers for "
                    "25 minutes; traffic of several operators went through it.",
     .services = "Route servers", .ack_h = 1.1, .to = IST_CLOSED, .step_h = 12},
    {.by = "nix-operator", .day = 1.4, .cls = "intrusions", .type = "privileged-account-compromise",
     .sev = SEV_HIGH, .cii = true,
     .title = "Administrator sign-in to the route servers from an unknown address",
     .description = "The route servers' management interface accepted a sign-in with an "
                    "administrator account from an address outside our network at 03:12. No "
                    "configuration change has been found yet; the account is locked.",
     .services = "Route server management"},
    {.by = "paknet-broadband", .day = 26.5, .cls = "vulnerable", .type = "ddos-amplifier",
     .sev = SEV_LOW, .title = "Customer routers with open DNS resolvers used for amplification",
     .description = "A foreign CERT reports 3,400 of our customers' routers as open DNS resolvers "
                    "used in attacks. A firmware default is the cause.",
     .services = "Customer premises routers", .ack_h = 10, .to = IST_ERADICATED, .step_h = 72},
    {.by = "sapphire-telecom", .day = 8.2, .cls = "abusive-content", .type = "spam",
     .sev = SEV_BASELINE, .title = "Spam text campaign from a bulk messaging account",
     .description = "A bulk messaging customer sent two million promotional texts for an unlicensed "
                    "lottery.",
     .ack_h = 30, .to = IST_TRIAGED},
    {.by = "khyber-mobile", .day = 2.6, .cls = "information-gathering", .type = "sniffing",
     .sev = SEV_MEDIUM, .title = "Signalling location queries from an unknown foreign operator",
     .description = "The signalling firewall logged location queries for 12 subscribers, among "
                    "them officials, from a foreign operator we have no roaming agreement with.",
     .services = "Signalling network", .ack_h = 5, .ack2_h = 9, .to = IST_TRIAGED,
     .escalate = "The subscribers are federal officials; the National CERT should take it up with "
                 "the foreign operator's regulator."},

    /* ---- reported by the National CERT about orgs of its constituency ---- */
    {.key = "pb-power-c2", .by = "ncert", .about = "pb-power", .day = 24.4,
     .cls = "malicious-code", .type = "infected-system", .sev = SEV_HIGH,
     .title = "Beaconing to a known command-and-control server from a power company's office "
              "network",
     .description = "Our sensor at the national exchange sees regular connections from an address "
                    "of the Punjab Power Distribution Company to a server that controls a remote "
                    "access trojan. It started nine days ago.",
     .services = "Office network", .ack_h = 1, .ack2_h = 22, .to = IST_ERADICATED, .step_h = 40},
    {.key = "khi-port-c2", .by = "ncert", .about = "khi-port", .day = 23.6,
     .cls = "malicious-code", .type = "infected-system", .sev = SEV_HIGH,
     .title = "The same command-and-control server contacted from port office workstations",
     .description = "Two workstations of the Karachi Port Operations Office contact the server of "
                    "the Punjab power company case, with the same beacon interval.",
     .services = "Office workstations", .ack_h = 3, .to = IST_CONTAINED, .step_h = 30},
};
/* clang-format on */

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

static int acknowledge(struct play *p, int i, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, true, &x, &who);
    if (rc || x.acknowledged_at || incident_status_ended(x.status))
        return rc;
    return incident_acknowledge(p->db, &who, p->ids[i], ei);
}

static int move(struct play *p, int i, enum incident_status to, rb_errinfo *ei)
{
    /* The affected org reports its own progress; the handling CERT triages, contains and closes. */
    bool handler = !(to == IST_ERADICATED || to == IST_RECOVERED);
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, handler, &x, &who);
    if (rc)
        return rc;
    struct incident_input in;
    incident_input_init(&in);
    in.status = (int)to;
    return incident_update(p->db, &who, &p->a, p->ids[i], &in, ei);
}

static int file_stage(struct play *p, int i, enum incident_stage stage, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, false, &x, &who);
    if (rc)
        return rc;
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
    return incident_file_report(p->db, &who, p->ids[i], stage, text, ei);
}

static int comment(struct play *p, int i, bool handler, const char *text, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, handler, &x, &who);
    if (rc)
        return rc;
    return incident_comment(p->db, &who, p->ids[i], text, ei);
}

static int escalate(struct play *p, int i, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, true, &x, &who);
    if (rc)
        return rc;
    return incident_escalate(p->db, &who, p->ids[i], p->s[i].escalate, ei);
}

static int task(struct play *p, int i, int k, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, true, &x, &who);
    if (rc)
        return rc;
    char due[RB_TIME_SIZE];
    rb_time_format(p->reported[i] + hours(tasks[k].due_d * 24), due);
    due[10] = '\0';
    struct task_input in = {
        .title = tasks[k].title, .assignee_org = x.org_id, .due_date = due, .done = -1};
    return incident_task_add(p->db, &who, p->ids[i], &in, p->tids[k], ei);
}

static int task_done(struct play *p, int i, int k, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, false, &x, &who);
    if (rc)
        return rc;
    struct task_input in = {.done = 1};
    return incident_task_update(p->db, &who, p->ids[i], p->tids[k], &in, ei);
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

static int merge(struct play *p, int i, int k, rb_errinfo *ei)
{
    struct incident_row x;
    rb_actor who;
    int rc = party(p, i, true, &x, &who);
    if (rc)
        return rc;
    return incident_merge(p->db, &who, p->ids[i], p->ids[story_index(p, merges[k].into)],
                          merges[k].reason, ei);
}

static int play_event(struct play *p, const struct event *e, rb_errinfo *ei)
{
    const struct story *s = &p->s[e->story];
    switch (e->kind) {
    case EV_REPORT:
        return report(p, e->story, ei);
    case EV_ACK:
        return acknowledge(p, e->story, ei);
    case EV_NOTE:
        return comment(p, e->story, true, s->note, ei);
    case EV_REPLY:
        return comment(p, e->story, false, s->reply, ei);
    case EV_ESCALATE:
        return escalate(p, e->story, ei);
    case EV_STATUS:
        return move(p, e->story, (enum incident_status)e->arg, ei);
    case EV_NOTIFY:
        return file_stage(p, e->story, STAGE_NOTIFICATION, ei);
    case EV_FINAL:
        return file_stage(p, e->story, STAGE_FINAL_REPORT, ei);
    case EV_TASK:
        return task(p, e->story, e->arg, ei);
    case EV_TASK_DONE:
        return task_done(p, e->story, e->arg, ei);
    case EV_LINK:
        return link(p, e->arg, ei);
    case EV_MERGE:
        return merge(p, e->story, e->arg, ei);
    }
    return RB_EINVAL;
}

/* The stories and the routine reports, as one array. */
static int gather(struct play *p)
{
    int n = (int)RB_ARRAY_LEN(stories), nr = (int)RB_ARRAY_LEN(routine_rows);
    p->s = rb_calloc((size_t)(n + nr), sizeof(*p->s));
    p->reported = rb_calloc((size_t)(n + nr), sizeof(*p->reported));
    p->ids = rb_calloc((size_t)(n + nr), sizeof(*p->ids));
    p->tids = rb_calloc(RB_ARRAY_LEN(tasks), sizeof(*p->tids));
    if (!p->s || !p->reported || !p->ids || !p->tids)
        return RB_ENOMEM;
    memcpy(p->s, stories, sizeof(stories));
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
    rb_arena_init(&p.a, 1 << 16);
    int rc = gather(&p);
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
