/*
 * csaf_data.c - the tables tests 6.1.11 (CWE) and 6.1.12 (language) look values up in.
 *
 * CWE: the ids and names of the weaknesses published advisories name most, as MITRE's CWE list
 * (version 4.x) names them. It is a part of the list, not all of it: an id the table does not
 * hold is not judged by 6.1.11 (docs/csaf-validation.md says so), an id it holds must carry
 * exactly this name.
 *
 * Languages: the ISO 639-1 two-letter codes (and the deprecated ones the IANA language subtag
 * registry still holds: in, iw, ji, jw, mo, sh); regions: the ISO 3166-1 alpha-2 codes, the
 * registry's exceptionally reserved and deprecated ones, and the private-use ranges (which
 * 6.2.14 reports). Three-letter languages, scripts and variants are not listed (the registry
 * holds thousands): any well-formed one passes.
 *
 * Must never hold a name that differs from MITRE's: a wrong row fails real advisories.
 */
#include "base/common.h"
#include "formats/csaf_int.h"

static const struct {
    int id;
    const char *name;
} cwes[] = {
    {15, "External Control of System or Configuration Setting"},
    {20, "Improper Input Validation"},
    {22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"},
    {23, "Relative Path Traversal"},
    {29, "Path Traversal: '\\..\\filename'"},
    {35, "Path Traversal: '.../...//'"},
    {36, "Absolute Path Traversal"},
    {59, "Improper Link Resolution Before File Access ('Link Following')"},
    {73, "External Control of File Name or Path"},
    {74, "Improper Neutralization of Special Elements in Output Used by a Downstream Component "
         "('Injection')"},
    {77, "Improper Neutralization of Special Elements used in a Command ('Command Injection')"},
    {78,
     "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"},
    {79, "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"},
    {88, "Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')"},
    {89, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"},
    {91, "XML Injection (aka Blind XPath Injection)"},
    {93, "Improper Neutralization of CRLF Sequences ('CRLF Injection')"},
    {94, "Improper Control of Generation of Code ('Code Injection')"},
    {95, "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')"},
    {98, "Improper Control of Filename for Include/Require Statement in PHP Program ('PHP Remote "
         "File Inclusion')"},
    {113, "Improper Neutralization of CRLF Sequences in HTTP Headers ('HTTP Request/Response "
          "Splitting')"},
    {114, "Process Control"},
    {116, "Improper Encoding or Escaping of Output"},
    {117, "Improper Output Neutralization for Logs"},
    {119, "Improper Restriction of Operations within the Bounds of a Memory Buffer"},
    {120, "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"},
    {121, "Stack-based Buffer Overflow"},
    {122, "Heap-based Buffer Overflow"},
    {124, "Buffer Underwrite ('Buffer Underflow')"},
    {125, "Out-of-bounds Read"},
    {126, "Buffer Over-read"},
    {129, "Improper Validation of Array Index"},
    {134, "Use of Externally-Controlled Format String"},
    {158, "Improper Neutralization of Null Byte or NUL Character"},
    {172, "Encoding Error"},
    {190, "Integer Overflow or Wraparound"},
    {191, "Integer Underflow (Wrap or Wraparound)"},
    {193, "Off-by-one Error"},
    {195, "Signed to Unsigned Conversion Error"},
    {197, "Numeric Truncation Error"},
    {200, "Exposure of Sensitive Information to an Unauthorized Actor"},
    {201, "Insertion of Sensitive Information Into Sent Data"},
    {203, "Observable Discrepancy"},
    {204, "Observable Response Discrepancy"},
    {208, "Observable Timing Discrepancy"},
    {209, "Generation of Error Message Containing Sensitive Information"},
    {213, "Exposure of Sensitive Information Due to Incompatible Policies"},
    {237, "Improper Handling of Structural Elements"},
    {248, "Uncaught Exception"},
    {250, "Execution with Unnecessary Privileges"},
    {252, "Unchecked Return Value"},
    {256, "Plaintext Storage of a Password"},
    {257, "Storing Passwords in a Recoverable Format"},
    {259, "Use of Hard-coded Password"},
    {261, "Weak Encoding for Password"},
    {266, "Incorrect Privilege Assignment"},
    {267, "Privilege Defined With Unsafe Actions"},
    {269, "Improper Privilege Management"},
    {273, "Improper Check for Dropped Privileges"},
    {276, "Incorrect Default Permissions"},
    {277, "Insecure Inherited Permissions"},
    {284, "Improper Access Control"},
    {285, "Improper Authorization"},
    {287, "Improper Authentication"},
    {288, "Authentication Bypass Using an Alternate Path or Channel"},
    {290, "Authentication Bypass by Spoofing"},
    {294, "Authentication Bypass by Capture-replay"},
    {295, "Improper Certificate Validation"},
    {297, "Improper Validation of Certificate with Host Mismatch"},
    {303, "Incorrect Implementation of Authentication Algorithm"},
    {305, "Authentication Bypass by Primary Weakness"},
    {306, "Missing Authentication for Critical Function"},
    {307, "Improper Restriction of Excessive Authentication Attempts"},
    {311, "Missing Encryption of Sensitive Data"},
    {312, "Cleartext Storage of Sensitive Information"},
    {316, "Cleartext Storage of Sensitive Information in Memory"},
    {319, "Cleartext Transmission of Sensitive Information"},
    {321, "Use of Hard-coded Cryptographic Key"},
    {326, "Inadequate Encryption Strength"},
    {327, "Use of a Broken or Risky Cryptographic Algorithm"},
    {328, "Use of Weak Hash"},
    {329, "Generation of Predictable IV with CBC Mode"},
    {330, "Use of Insufficiently Random Values"},
    {331, "Insufficient Entropy"},
    {334, "Small Space of Random Values"},
    {337, "Predictable Seed in Pseudo-Random Number Generator (PRNG)"},
    {338, "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)"},
    {342, "Predictable Exact Value from Previous Values"},
    {345, "Insufficient Verification of Data Authenticity"},
    {346, "Origin Validation Error"},
    {347, "Improper Verification of Cryptographic Signature"},
    {349, "Acceptance of Extraneous Untrusted Data With Trusted Data"},
    {351, "Insufficient Type Distinction"},
    {352, "Cross-Site Request Forgery (CSRF)"},
    {353, "Missing Support for Integrity Check"},
    {354, "Improper Validation of Integrity Check Value"},
    {358, "Improperly Implemented Security Check for Standard"},
    {359, "Exposure of Private Personal Information to an Unauthorized Actor"},
    {362,
     "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')"},
    {364, "Signal Handler Race Condition"},
    {367, "Time-of-check Time-of-use (TOCTOU) Race Condition"},
    {369, "Divide By Zero"},
    {377, "Insecure Temporary File"},
    {378, "Creation of Temporary File With Insecure Permissions"},
    {384, "Session Fixation"},
    {391, "Unchecked Error Condition"},
    {392, "Missing Report of Error Condition"},
    {394, "Unexpected Status Code or Return Value"},
    {400, "Uncontrolled Resource Consumption"},
    {401, "Missing Release of Memory after Effective Lifetime"},
    {404, "Improper Resource Shutdown or Release"},
    {407, "Inefficient Algorithmic Complexity"},
    {415, "Double Free"},
    {416, "Use After Free"},
    {420, "Unprotected Alternate Channel"},
    {425, "Direct Request ('Forced Browsing')"},
    {426, "Untrusted Search Path"},
    {427, "Uncontrolled Search Path Element"},
    {428, "Unquoted Search Path or Element"},
    {434, "Unrestricted Upload of File with Dangerous Type"},
    {440, "Expected Behavior Violation"},
    {444, "Inconsistent Interpretation of HTTP Requests ('HTTP Request/Response Smuggling')"},
    {455, "Non-exit on Failed Initialization"},
    {457, "Use of Uninitialized Variable"},
    {459, "Incomplete Cleanup"},
    {471, "Modification of Assumed-Immutable Data (MAID)"},
    {476, "NULL Pointer Dereference"},
    {477, "Use of Obsolete Function"},
    {489, "Active Debug Code"},
    {494, "Download of Code Without Integrity Check"},
    {497, "Exposure of Sensitive System Information to an Unauthorized Control Sphere"},
    {502, "Deserialization of Untrusted Data"},
    {521, "Weak Password Requirements"},
    {522, "Insufficiently Protected Credentials"},
    {523, "Unprotected Transport of Credentials"},
    {532, "Insertion of Sensitive Information into Log File"},
    {538, "Insertion of Sensitive Information into Externally-Accessible File or Directory"},
    {544, "Missing Standardized Error Handling Mechanism"},
    {548, "Exposure of Information Through Directory Listing"},
    {549, "Missing Password Field Masking"},
    {550, "Server-generated Error Message Containing Sensitive Information"},
    {552, "Files or Directories Accessible to External Parties"},
    {565, "Reliance on Cookies without Validation and Integrity Checking"},
    {567, "Unsynchronized Access to Shared Data in a Multithreaded Context"},
    {598, "Use of GET Request Method With Sensitive Query Strings"},
    {601, "URL Redirection to Untrusted Site ('Open Redirect')"},
    {610, "Externally Controlled Reference to a Resource in Another Sphere"},
    {611, "Improper Restriction of XML External Entity Reference"},
    {613, "Insufficient Session Expiration"},
    {614, "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute"},
    {617, "Reachable Assertion"},
    {620, "Unverified Password Change"},
    {639, "Authorization Bypass Through User-Controlled Key"},
    {640, "Weak Password Recovery Mechanism for Forgotten Password"},
    {643, "Improper Neutralization of Data within XPath Expressions ('XPath Injection')"},
    {645, "Overly Restrictive Account Lockout Mechanism"},
    {646, "Reliance on File Name or Extension of Externally-Supplied File"},
    {662, "Improper Synchronization"},
    {664, "Improper Control of a Resource Through its Lifetime"},
    {665, "Improper Initialization"},
    {667, "Improper Locking"},
    {668, "Exposure of Resource to Wrong Sphere"},
    {669, "Incorrect Resource Transfer Between Spheres"},
    {672, "Operation on a Resource after Expiration or Release"},
    {674, "Uncontrolled Recursion"},
    {681, "Incorrect Conversion between Numeric Types"},
    {682, "Incorrect Calculation"},
    {684, "Incorrect Provision of Specified Functionality"},
    {693, "Protection Mechanism Failure"},
    {697, "Incorrect Comparison"},
    {703, "Improper Check or Handling of Exceptional Conditions"},
    {704, "Incorrect Type Conversion or Cast"},
    {706, "Use of Incorrectly-Resolved Name or Reference"},
    {707, "Improper Neutralization"},
    {732, "Incorrect Permission Assignment for Critical Resource"},
    {749, "Exposed Dangerous Method or Function"},
    {754, "Improper Check for Unusual or Exceptional Conditions"},
    {755, "Improper Handling of Exceptional Conditions"},
    {757, "Selection of Less-Secure Algorithm During Negotiation ('Algorithm Downgrade')"},
    {759, "Use of a One-Way Hash without a Salt"},
    {760, "Use of a One-Way Hash with a Predictable Salt"},
    {763, "Release of Invalid Pointer or Reference"},
    {770, "Allocation of Resources Without Limits or Throttling"},
    {772, "Missing Release of Resource after Effective Lifetime"},
    {776, "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')"},
    {784, "Reliance on Cookies without Validation and Integrity Checking in a Security Decision"},
    {787, "Out-of-bounds Write"},
    {788, "Access of Memory Location After End of Buffer"},
    {798, "Use of Hard-coded Credentials"},
    {799, "Improper Control of Interaction Frequency"},
    {805, "Buffer Access with Incorrect Length Value"},
    {822, "Untrusted Pointer Dereference"},
    {824, "Access of Uninitialized Pointer"},
    {829, "Inclusion of Functionality from Untrusted Control Sphere"},
    {830, "Inclusion of Web Functionality from an Untrusted Source"},
    {833, "Deadlock"},
    {834, "Excessive Iteration"},
    {835, "Loop with Unreachable Exit Condition ('Infinite Loop')"},
    {836, "Use of Password Hash Instead of Password for Authentication"},
    {838, "Inappropriate Encoding for Output Context"},
    {843, "Access of Resource Using Incompatible Type ('Type Confusion')"},
    {862, "Missing Authorization"},
    {863, "Incorrect Authorization"},
    {908, "Use of Uninitialized Resource"},
    {909, "Missing Initialization of Resource"},
    {912, "Hidden Functionality"},
    {916, "Use of Password Hash With Insufficient Computational Effort"},
    {917, "Improper Neutralization of Special Elements used in an Expression Language Statement "
          "('Expression Language Injection')"},
    {918, "Server-Side Request Forgery (SSRF)"},
    {922, "Insecure Storage of Sensitive Information"},
    {923, "Improper Restriction of Communication Channel to Intended Endpoints"},
    {942, "Permissive Cross-domain Policy with Untrusted Domains"},
    {1004, "Sensitive Cookie Without 'HttpOnly' Flag"},
    {1021, "Improper Restriction of Rendered UI Layers or Frames"},
    {1037, "Processor Optimization Removal or Modification of Security-critical Code"},
    {1188, "Initialization of a Resource with an Insecure Default"},
    {1236, "Improper Neutralization of Formula Elements in a CSV File"},
    {1284, "Improper Validation of Specified Quantity in Input"},
    {1286, "Improper Validation of Syntactic Correctness of Input"},
    {1287, "Improper Validation of Specified Type of Input"},
    {1295, "Debug Messages Revealing Unnecessary Information"},
    {1299, "Missing Protection Mechanism for Alternate Hardware Interface"},
    {1319, "Improper Protection against Electromagnetic Fault Injection (EM-FI)"},
    {1321,
     "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')"},
    {1326, "Missing Immutable Root of Trust in Hardware"},
    {1327, "Binding to an Unrestricted IP Address"},
    {1333, "Inefficient Regular Expression Complexity"},
    {1357, "Reliance on Insufficiently Trustworthy Component"},
    {1390, "Weak Authentication"},
    {1391, "Use of Weak Credentials"},
    {1392, "Use of Default Credentials"},
    {1393, "Use of Default Password"},
    {1394, "Use of Default Cryptographic Key"},
    {1395, "Dependency on Vulnerable Third-Party Component"},
};

const char *csaf__cwe_name(const char *id)
{
    int64_t n;
    if (!id || strncmp(id, "CWE-", 4) != 0 || rb_parse_int64(id + 4, 1, 999999, &n))
        return NULL;
    size_t lo = 0, hi = RB_ARRAY_LEN(cwes);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cwes[mid].id == n)
            return cwes[mid].name;
        if (cwes[mid].id < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Pairs of lower-case letters, one code after the other. */
static const char iso639_1[] =
    "aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucvcydadedvdzeeeleneoeseteu"
    "fafffifjfofrfygagdglgngugvhahehihohrhthuhyhziaidieigiiikinioisitiuiwjajijvjwkakgkikj"
    "kkklkmknkokrkskukvkwkylalblglilnloltlulvmgmhmimkmlmnmomrmsmtmynanbndnengnlnnnonrnvny"
    "ocojomorospapiplpsptqurmrnrorurwsascsdsesgshsiskslsmsnsosqsrssstsusvswtatetgthtitktl"
    "tntotrtstttwtyugukuruzvevivowawoxhyiyozazhzu";

/* Upper-case pairs: ISO 3166-1 alpha-2, then the registry's reserved (AC CP DG EA EU EZ IC TA
 * UN), deprecated (BU CS DD FX NT SU TP YD YU ZR) and private-use (AA QM-QZ XA-XZ ZZ) ones. */
static const char regions[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCG"
    "CHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGL"
    "GMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLA"
    "LBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONP"
    "NRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSV"
    "SXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW"
    "ACCPDGEAEUEZICTAUN"
    "BUCSDDFXNTSUTPYDYUZR"
    "AAQMQNQOQPQQQRQSQTQUQVQWQXQYQZXAXBXCXDXEXFXGXHXIXJXKXLXMXNXOXPXQXRXSXTXUXVXWXXXYXZZZ";

static bool in_pairs(const char *table, char a, char b)
{
    for (const char *p = table; p[0] && p[1]; p += 2)
        if (p[0] == a && p[1] == b)
            return true;
    return false;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool csaf__iso639_1(const char *s, size_t n)
{
    return n == 2 && in_pairs(iso639_1, lower(s[0]), lower(s[1]));
}

bool csaf__region(const char *s, size_t n)
{
    return n == 2 && in_pairs(regions, upper(s[0]), upper(s[1]));
}
