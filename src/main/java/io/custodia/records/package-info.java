/**
 * Personal data: subjects found by keyed blind indexes of their identifiers, and records under one activity
 * and category of the tenant's policy, their fields sealed with the subject's own key. Nothing undeclared gets
 * in (R11); a restricted record is kept but left out of every listing and job (R21); erasing a subject
 * destroys its key (crypto-shredding). Every act is audited.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Personal-data store")
package io.custodia.records;
