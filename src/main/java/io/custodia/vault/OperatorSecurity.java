package io.custodia.vault;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import io.custodia.tenancy.SecurityProblems;

/**
 * The operator endpoints ({@code /api/v1/operator/**}) answer only to operator keys ({@code Bearer cso_...});
 * a tenant's API key is not one, and an operator key opens nothing else (the tenant chain does not know it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OperatorSecurity {

	static final String AUTHORITY = "ROLE_OPERATOR";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	SecurityFilterChain operatorFilterChain(HttpSecurity http, Operators operators) throws Exception {
		http.securityMatcher("/api/v1/operator/**")
			.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.addFilterBefore(new OperatorKeyFilter(operators), AnonymousAuthenticationFilter.class)
			.exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> SecurityProblems.write(request, response,
					HttpStatus.UNAUTHORIZED, "send a valid operator key as Authorization: Bearer cso_..."))
				.accessDeniedHandler((request, response, ex) -> SecurityProblems.write(request, response, HttpStatus.FORBIDDEN,
						"only operator keys may do this")))
			.authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(AUTHORITY));
		return http.build();
	}

	static final class OperatorKeyFilter extends OncePerRequestFilter {

		private final Operators operators;

		OperatorKeyFilter(Operators operators) {
			this.operators = operators;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String header = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				Optional<OperatorPrincipal> principal;
				try {
					principal = operators.authenticate(header.substring(7).trim());
				}
				catch (DataAccessException | TransactionException ex) {
					SecurityProblems.databaseFailed(request, response, ex);
					return;
				}
				if (principal.isEmpty()) {
					SecurityProblems.write(request, response, HttpStatus.UNAUTHORIZED, "this is not a valid operator key (unknown, revoked or mistyped)");
					return;
				}
				SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(principal.get(), null,
						List.of(new SimpleGrantedAuthority(AUTHORITY))));
			}
			chain.doFilter(request, response);
		}
	}
}
