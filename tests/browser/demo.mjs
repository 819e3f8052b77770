// demo.mjs - the people and organisations of the demo database (src/core/demo.c) that the browser
// stories sign in as and look for. Every person's password is harness.mjs's DEMO_PASSWORD.

// National CERT
export const NATIONAL_ADMIN = 'admin@ncert.rabta.test'; // the GRC director
export const NATIONAL_ANALYST = 'analyst@ncert.rabta.test';
export const AUDITOR = 'auditor@ncert.rabta.test';
// Punjab CERT and its institutions
export const PUNJAB_ADMIN = 'admin@punjab-cert.rabta.test';
export const ANALYST = 'analyst@punjab-cert.rabta.test';
export const REPORTER = 'reporter@pb-health.rabta.test'; // the Punjab Health focal person
export const FINANCE_REPORTER = 'reporter@pb-finance.rabta.test';
export const LAND_REPORTER = 'reporter@pb-landrecords.rabta.test';
// Sindh CERT's Karachi Port Operations Office
export const PORT_REPORTER = 'reporter@khi-port.rabta.test';

export const PB_HEALTH = 'Punjab Health Services Directorate';
export const LAND = 'Punjab Land Records Office';
export const POWER = 'Punjab Power Distribution Company';
