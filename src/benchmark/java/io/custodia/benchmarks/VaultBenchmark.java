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

			// 1. the baseline: a plain copy of the same bytes on the same disk, forced like the vault forces its blob
			Path copy = dir.resolve("copy.bin");
			long start = System.nanoTime();
			plainCopy(source, copy);
			double copySeconds = seconds(start);
			Files.delete(copy);
			print("plain copy (1 MiB buffer, forced)", size, copySeconds, -1);

			HttpClient http = HttpClient.newHttpClient();
			HeapSampler heap = HeapSampler.start();

			// 2. upload through the API
			heap.reset();
			start = System.nanoTime();
			var upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vault/files?path="
					+ URLEncoder.encode("/bench/large.bin", StandardCharsets.UTF_8)))
				.header("Authorization", "Bearer " + key)
				.header("Content-Type", "application/octet-stream")
				.POST(HttpRequest.BodyPublishers.ofFile(source))
				.build(), HttpResponse.BodyHandlers.ofString());
			double uploadSeconds = seconds(start);
			long uploadHeap = heap.peak();
			if (upload.statusCode() != 201) {
				throw new IllegalStateException("upload answered " + upload.statusCode() + ": " + upload.body());
			}
			String id = upload.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
			print("encrypted upload (HTTP)", size, uploadSeconds, uploadHeap);

			// 3. download through the API, written to a file and forced
			Path downloaded = dir.resolve("downloaded.bin");
			heap.reset();
			start = System.nanoTime();
			var download = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vault/files/" + id + "/content"))
				.header("Authorization", "Bearer " + key)
				.build(), HttpResponse.BodyHandlers.ofFile(downloaded));
			try (FileChannel channel = FileChannel.open(downloaded, StandardOpenOption.WRITE)) {
				channel.force(true);
			}
			double downloadSeconds = seconds(start);
			long downloadHeap = heap.peak();
			if (download.statusCode() != 200) {
				throw new IllegalStateException("download answered " + download.statusCode());
			}
			print("decrypted download (HTTP)", size, downloadSeconds, downloadHeap);
			if (!sha256(downloaded).equals(sourceHash)) {
				throw new IllegalStateException("the downloaded file differs from the uploaded one");
			}
			System.out.println("downloaded content verified: SHA-256 equal to the source");
			Files.delete(downloaded);

			// 4. the same through the Vault service API with streams, without HTTP: what the encryption itself costs
			Vault vault = context.getBean(Vault.class);
			heap.reset();
			start = System.nanoTime();
			VaultFile stored;
			try (InputStream in = Files.newInputStream(source)) {
				stored = vault.store("bench", "/bench/direct.bin", in, size, "benchmark");
			}
			double directUploadSeconds = seconds(start);
			long directUploadHeap = heap.peak();
			print("encrypted store (service API)", size, directUploadSeconds, directUploadHeap);
			heap.reset();
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
			double directDownloadSeconds = seconds(start);
			long directDownloadHeap = heap.peak();
			print("decrypted read (service API)", size, directDownloadSeconds, directDownloadHeap);
			if (!sha256(downloaded).equals(sourceHash)) {
				throw new IllegalStateException("the file read through the service differs from the source");
			}
			System.out.printf("ratio store/plain copy (service API): %.2f, read/plain copy (service API): %.2f%n",
					copySeconds / directUploadSeconds, copySeconds / directDownloadSeconds);
			System.out.printf("ratio upload/plain copy: %.2f (required >= 0.5)%n", copySeconds / uploadSeconds);
			System.out.printf("ratio download/plain copy: %.2f (required >= 0.5)%n", copySeconds / downloadSeconds);
			heap.stop();
			System.out.printf("max heap used: upload %d MiB, download %d MiB, of -Xmx %d MiB (file %,d MiB)%n", uploadHeap >> 20,
					downloadHeap >> 20, Runtime.getRuntime().maxMemory() >> 20, mib);
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
