/**
 * The policy format: the model every capability enforces ({@link io.custodia.policy.Policy}), reading and
 * checking files ({@link io.custodia.policy.Policies}) and classifying changes between versions
 * ({@link io.custodia.policy.PolicyDiff}). Depends on nothing else in Custodia.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Policy")
package io.custodia.policy;
