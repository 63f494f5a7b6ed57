package io.custodia.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.UnmatchedArgsBinding;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that opens the service's database takes: where the embedded database lives, and any Spring
 * setting passed through as it is ({@code --spring.datasource.url=…}, {@code --logging.level.root=INFO}).
 */
final class ServiceOptions {

	@Option(names = "--data-dir", paramLabel = "DIR", description = "where the embedded database lives (default: ./data)")
	Path dataDir;

	final List<String> springArguments = new ArrayList<>();

	/**
	 * Binds the command's left-over arguments to {@link #springArguments}. Picocli does not carry an
	 * {@code @Unmatched} field of a mixin over to the command that mixes it in, so the binding is added here.
	 */
	@Spec(Spec.Target.MIXEE)
	void passThrough(CommandSpec command) {
		command.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringCollectionSupplier(new PassThrough()));
	}

	/** Gives picocli the list to fill, and lets it empty the list before a parse (it warns without a setter). */
	private final class PassThrough implements IGetter, ISetter {

		@Override
		@SuppressWarnings("unchecked")
		public <T> T get() {
			return (T) springArguments;
		}

		@Override
		public <T> T set(T value) {
			springArguments.clear();
			return null;
		}
	}

	/** The service's context without its web server, as {@link ServiceContext#start} opens it. */
	ConfigurableApplicationContext start() {
		return ServiceContext.start(dataDir, springArguments);
	}
}
