"""oscal_schema.py - checks an OSCAL document against NIST's own OSCAL 1.1.2 JSON schemas
(../shared/data/oscal/schema-1.1.2), for the tests of every OSCAL export.

The schemas are draft-07 JSON Schema. Their patterns use \\p{L} and \\p{N}, which Python's re does
not know: patterns are matched with the `regex` module (Debian's python3-regex). Their formats
(date-time, uri, uri-reference, email) are checked here by small rules of our own, so the check
does not depend on which optional format packages jsonschema finds:

  date-time      RFC 3339 with a time zone (the schema's own pattern says more);
  uri            a scheme, then no spaces;
  uri-reference  no spaces, no control characters (RFC 3986 section 4.1, loosely);
  email          something@something.

schema_errors(doc, model) returns every error as "path: message" (an empty list when the
document is valid); need_schema(test) skips a test, saying why, when ../shared/data or the two
Python modules are absent.
"""

import json
import os
import re

from test_catalogs import DATA

SCHEMAS = os.path.join(DATA, "schema-1.1.2")
MODELS = {"catalog": "oscal_catalog_schema.json", "profile": "oscal_profile_schema.json",
          "assessment-results": "oscal_assessment-results_schema.json",
          "assessment-plan": "oscal_assessment-plan_schema.json",
          "plan-of-action-and-milestones": "oscal_poam_schema.json"}

try:
    import jsonschema
    import regex
except ImportError as e:  # pragma: no cover - reported by need_schema
    jsonschema = None
    MISSING = str(e)
else:
    MISSING = None

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
URI_REFERENCE = re.compile(r"^[^\s\x00-\x1f\x7f]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

_validators = {}


def _validator(model):
    if model in _validators:
        return _validators[model]
    with open(os.path.join(SCHEMAS, MODELS[model]), encoding="utf-8") as f:
        schema = json.load(f)
    formats = jsonschema.FormatChecker(formats=())
    for name, rule in (("date-time", DATE_TIME), ("uri", URI), ("uri-reference", URI_REFERENCE),
                       ("email", EMAIL)):
        formats.checks(name)(lambda v, rule=rule: not isinstance(v, str) or bool(rule.match(v)))

    def pattern(validator, patrn, instance, schema):
        if isinstance(instance, str) and not regex.search(patrn, instance):
            yield jsonschema.ValidationError("%r does not match %r" % (instance, patrn))

    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})
    v = cls(schema, format_checker=formats)
    _validators[model] = v
    return v


def need_schema(test):
    """Skips the test when the schemas or the modules that read them are not there."""
    if MISSING:
        test.skipTest("%s (apt-get install python3-jsonschema python3-regex)" % MISSING)
    if not os.path.isdir(SCHEMAS):
        test.skipTest("%s is absent (../shared/data next to the repository)" % SCHEMAS)


def schema_errors(doc, model):
    """Every way doc breaks the OSCAL 1.1.2 schema of model ("catalog", "profile", ...), as
    "path: message" strings; [] when it is valid."""
    errors = []
    for e in sorted(_validator(model).iter_errors(doc), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in e.absolute_path) or "(root)"
        errors.append("%s: %s" % (path, e.message[:300]))
    return errors
