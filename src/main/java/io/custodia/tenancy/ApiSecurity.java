package io.custodia.tenancy;

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


/**
 * The API answers only to API keys ({@code Authorization: Bearer cst_...}); notices, the index, health and
 * metrics are public. Failures are problem+json and never say whether a key exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiSecurity {

	@Bean
	SecurityFilterChain apiKeyFilterChain(HttpSecurity http, ApiKeys keys) throws Exception {
		http.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.addFilterBefore(new ApiKeyFilter(keys), AnonymousAuthenticationFilter.class)
			.exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> SecurityProblems.write(request, response,
					HttpStatus.UNAUTHORIZED, "send a valid API key as Authorization: Bearer cst_..."))
				.accessDeniedHandler((request, response, ex) -> SecurityProblems.write(request, response, HttpStatus.FORBIDDEN,
						"this API key's role may not do this")))
			.authorizeHttpRequests(auth -> auth
				.requestMatchers("/", "/notices/**", "/actuator/health/**", "/actuator/prometheus", "/error",
						"/v3/api-docs", "/v3/api-docs/**")
				.permitAll()
				.requestMatchers("/api/**").authenticated()
				.anyRequest().denyAll());
		return http.build();
	}

	static final class ApiKeyFilter extends OncePerRequestFilter {

		private final ApiKeys keys;

		ApiKeyFilter(ApiKeys keys) {
			this.keys = keys;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String header = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				Optional<ApiPrincipal> principal;
				try {
					principal = keys.authenticate(header.substring(7).trim());
				}
				catch (DataAccessException | TransactionException ex) {
					SecurityProblems.databaseFailed(request, response, ex);
					return;
				}
				if (principal.isEmpty()) {
					SecurityProblems.write(request, response, HttpStatus.UNAUTHORIZED, "this API key is not valid (unknown, revoked or mistyped)");
					return;
				}
				var authentication = new UsernamePasswordAuthenticationToken(principal.get(), null,
						List.of(new SimpleGrantedAuthority(principal.get().role().authority())));
				SecurityContextHolder.getContext().setAuthentication(authentication);
			}
			chain.doFilter(request, response);
		}
	}
}
