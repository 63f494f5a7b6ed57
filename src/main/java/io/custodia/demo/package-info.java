/**
 * Demo data: in demo mode ({@code custodia.demo=true}) the example tenants get synthetic subjects and records,
 * stored through the personal-data store like any other, so that a newcomer sees retention and its forecast at
 * work. Every value is obviously made up ({@code Demo Person 17}, {@code demo17@example.invalid}, addresses of
 * 192.0.2.0/24); dates are counted from the service's clock, so the data is always current.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo data")
package io.custodia.demo;
