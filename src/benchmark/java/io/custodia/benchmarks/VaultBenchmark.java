package io.custodia.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import io.custodia.vault.Vault;
import io.custodia.vault.VaultFile;

/**
 * The file vault's whole path against a plain file copy in the same run, on the same disk: upload (HTTP on
 * loopback into the running server: stream in, encrypt, write, force to disk, commit) and download (HTTP: read,
 * decrypt and verify, stream out, written to a file and forced) of one large file, against copying the same
 * file with a 1 MiB buffer and forcing the copy to disk. Heap is sampled every 10 ms during both. Argument: the
 * file's size in MiB (default 2048).
 */
public final class VaultBenchmark {

	public static void main(String[] args) throws Exception {
		long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
		long size = mib << 20;
		Path dir = Files.createTempDirectory("custodia-vault-bench");
		System.out.printf("VaultBenchmark: one file of %,d MiB, data in %s, max heap %d MiB, %s%n", mib, dir,
				Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.SERVLET)
			.logStartupInfo(false)
			.run("--server.port=0", "--custodia.data-dir=" + dir.resolve("data"),
					"--custodia.keys.root=" + dir.resolve("keys/root.json"), "--custodia.vault.quota-bytes=1TB",
					"--logging.level.root=WARN")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			context.getBean(TenantManagement.class).create("bench", "imengine.yaml",
					Files.readString(Path.of("examples/policies/imengine.yaml")));
			String key = context.getBean(ApiKeys.class).issue("bench", Role.APPLICATION, "benchmark").token();

			Path source = dir.resolve("source.bin");
			generate(source, size);
			String sourceHash = sha256(source);
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			Vault vault = context.getBean(Vault.class);
			var run = new Run(dir, port, key, http, vault, HeapSampler.start());

			// warm-up: the JIT compiles the crypto and HTTP paths on a smaller file first, as any long-running server has
			Path warm = dir.resolve("warm.bin");
			generate(warm, Math.min(size, 256L << 20));
			for (int i = 0; i < 2; i++) {
				String id = run.upload(warm, "/warm/" + i + ".bin");
				run.download(id, dir.resolve("warm-down.bin"));
				Files.delete(dir.resolve("warm-down.bin"));
				vault.delete("bench", java.util.UUID.fromString(id), "benchmark");
			}
			Files.delete(warm);
			System.out.println("warm-up done (2 x upload and download of " + (Math.min(size, 256L << 20) >> 20) + " MiB)");

			// each path is timed right after a plain copy of the same bytes, so both meet the same load on this shared machine
			double copy1 = run.plainCopy(source);
			run.heap.reset();
			long start = System.nanoTime();
			String id = run.upload(source, "/bench/large.bin");
			double upload = seconds(start);
			long uploadHeap = run.heap.peak();
			print("encrypted upload (HTTP)", size, upload, uploadHeap);

			double copy2 = run.plainCopy(source);
			Path downloaded = dir.resolve("downloaded.bin");
			run.heap.reset();
			start = System.nanoTime();
			run.download(id, downloaded);
			double download = seconds(start);
			long downloadHeap = run.heap.peak();
			print("decrypted download (HTTP)", size, download, downloadHeap);
			if (!sha256(downloaded).equals(sourceHash)) {
				throw new IllegalStateException("the downloaded file differs from the uploaded one");
			}
			System.out.println("downloaded content verified: SHA-256 equal to the source");
			Files.delete(downloaded);

			// the same through the Vault service API with streams, without HTTP: what encryption itself costs
			double copy3 = run.plainCopy(source);
			run.heap.reset();
			start = System.nanoTime();
			VaultFile stored;
			try (InputStream in = Files.newInputStream(source)) {
				stored = vault.store("bench", "/bench/direct.bin", in, size, "benchmark");
			}
			double store = seconds(start);
			long storeHeap = run.heap.peak();
			print("encrypted store (service API)", size, store, storeHeap);
			double copy4 = run.plainCopy(source);
			run.heap.reset();
			start = System.nanoTime();
			try (Vault.Download read = vault.open("bench", stored.id(), "all", "benchmark");
					FileChannel out = FileChannel.open(downloaded, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
				while (read.content().read(buffer) >= 0) {
					buffer.flip();
					while (buffer.hasRemaining()) {
						out.write(buffer);
					}
					buffer.clear();
				}
				out.force(true);
			}
			double read = seconds(start);
			long readHeap = run.heap.peak();
			print("decrypted read (service API)", size, read, readHeap);
			if (!sha256(downloaded).equals(sourceHash)) {
				throw new IllegalStateException("the file read through the service differs from the source");
			}
			run.heap.stop();
			System.out.printf("ratio upload/plain copy (HTTP): %.2f (required >= 0.5)%n", copy1 / upload);
			System.out.printf("ratio download/plain copy (HTTP): %.2f (required >= 0.5)%n", copy2 / download);
			System.out.printf("ratio store/plain copy (service API): %.2f, read/plain copy (service API): %.2f%n", copy3 / store,
					copy4 / read);
			System.out.printf("max heap used: upload %d MiB, download %d MiB, store %d MiB, read %d MiB, of -Xmx %d MiB (file %,d MiB)%n",
					uploadHeap >> 20, downloadHeap >> 20, storeHeap >> 20, readHeap >> 20, Runtime.getRuntime().maxMemory() >> 20, mib);
		}
		finally {
			deleteAll(dir);
		}
	}

	/** Reproducible content that no compression or deduplication could shortcut. */
	static void generate(Path file, long size) throws IOException {
		byte[] block = new byte[1 << 20];
		var random = new SplittableRandom(7);
		try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			for (long written = 0; written < size; written += block.length) {
				random.nextBytes(block);
				ByteBuffer buffer = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - written));
				while (buffer.hasRemaining()) {
					out.write(buffer);
				}
			}
			out.force(true);
		}
	}

	static void plainCopy(Path source, Path target) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
		try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
				FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			while (in.read(buffer) >= 0) {
				buffer.flip();
				while (buffer.hasRemaining()) {
					out.write(buffer);
				}
				buffer.clear();
			}
			out.force(true);
		}
	}

	static String sha256(Path file) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		byte[] buffer = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			int read;
			while ((read = in.read(buffer)) > 0) {
				digest.update(buffer, 0, read);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	static void print(String what, long size, double seconds, long heap) {
		System.out.printf("%-36s %8.2f s %9.1f MiB/s%s%n", what, seconds, (size >> 20) / seconds,
				heap < 0 ? "" : String.format("   max heap used %d MiB", heap >> 20));
		System.out.flush();
	}

	static void deleteAll(Path dir) throws IOException {
		try (var all = Files.walk(dir)) {
			for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/** The steps a measurement repeats. */
	record Run(Path dir, int port, String key, HttpClient http, Vault vault, HeapSampler heap) {

		double plainCopy(Path source) throws IOException {
			Path copy = dir.resolve("copy.bin");
			long start = System.nanoTime();
			VaultBenchmark.plainCopy(source, copy);
			double seconds = seconds(start);
			print("plain copy (1 MiB buffer, forced)", Files.size(copy), seconds, -1);
			Files.delete(copy);
			return seconds;
		}

		String upload(Path file, String path) throws Exception {
			var upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vault/files?path="
					+ URLEncoder.encode(path, StandardCharsets.UTF_8)))
				.header("Authorization", "Bearer " + key)
				.header("Content-Type", "application/octet-stream")
				.POST(HttpRequest.BodyPublishers.ofFile(file))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (upload.statusCode() != 201) {
				throw new IllegalStateException("upload answered " + upload.statusCode() + ": " + upload.body());
			}
			return upload.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		}

		/** Downloads into the file and forces it to disk, as the plain copy forces its copy. */
		void download(String id, Path target) throws Exception {
			var download = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vault/files/" + id + "/content"))
				.header("Authorization", "Bearer " + key)
				.build(), HttpResponse.BodyHandlers.ofFile(target));
			if (download.statusCode() != 200) {
				throw new IllegalStateException("download answered " + download.statusCode());
			}
			try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
				channel.force(true);
			}
		}
	}

	/** The JVM's used heap, sampled every 10 ms; the peak since the last reset. */
	static final class HeapSampler implements Runnable {

		private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

		private final AtomicLong peak = new AtomicLong();

		private volatile boolean running = true;

		static HeapSampler start() {
			var sampler = new HeapSampler();
			Thread thread = new Thread(sampler, "heap-sampler");
			thread.setDaemon(true);
			thread.start();
			return sampler;
		}

		@Override
		public void run() {
			while (running) {
				peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void reset() {
			System.gc();
			peak.set(memory.getHeapMemoryUsage().getUsed());
		}

		long peak() {
			return peak.get();
		}

		void stop() {
			running = false;
		}
	}
}
