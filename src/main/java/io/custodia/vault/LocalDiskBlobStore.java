package io.custodia.vault;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under {@code <root>/<tenant>/<first two hex digits of the id>/<id>}. A blob is written to a
 * temporary file in the tenant's {@code .incoming} folder, forced to disk and moved into place atomically, so a
 * crash leaves either no blob or the whole one.
 */
final class LocalDiskBlobStore implements BlobStore {

	private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private final Path root;

	LocalDiskBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	Path root() {
		return root;
	}

	Path path(String tenantId, UUID blobId) {
		String id = blobId.toString();
		return tenantDir(tenantId).resolve(id.substring(0, 2)).resolve(id);
	}

	private Path tenantDir(String tenantId) {
		if (!TENANT.matcher(tenantId).matches()) {
			// tenant ids are checked at creation; this keeps a bad one from ever naming a path outside the root
			throw new IllegalArgumentException("not a tenant id: " + tenantId);
		}
		return root.resolve(tenantId);
	}

	@Override
	public PendingBlob create(String tenantId, UUID blobId) throws IOException {
		Path target = path(tenantId, blobId);
		Path incoming = tenantDir(tenantId).resolve(".incoming");
		Files.createDirectories(incoming);
		Path temporary = incoming.resolve(blobId + ".part");
		FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		return new PendingBlob() {

			private boolean committed;

			/** Closing it does not close the file: {@link #commit} forces and closes it, after the writer is done. */
			private final WritableByteChannel writer = new WritableByteChannel() {

				@Override
				public int write(java.nio.ByteBuffer source) throws IOException {
					return channel.write(source);
				}

				@Override
				public boolean isOpen() {
					return channel.isOpen();
				}

				@Override
				public void close() {
				}
			};

			@Override
			public WritableByteChannel channel() {
				return writer;
			}

			@Override
			public void commit() throws IOException {
				channel.force(true);
				channel.close();
				Files.createDirectories(target.getParent());
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
				committed = true;
			}

			@Override
			public void close() throws IOException {
				if (!committed) {
					channel.close();
					Files.deleteIfExists(temporary);
				}
			}
		};
	}

	@Override
	public SeekableByteChannel open(String tenantId, UUID blobId) throws IOException {
		return FileChannel.open(path(tenantId, blobId), StandardOpenOption.READ);
	}

	@Override
	public boolean delete(String tenantId, UUID blobId) throws IOException {
		Path blob = path(tenantId, blobId);
		boolean deleted = Files.deleteIfExists(blob);
		try {
			Files.deleteIfExists(blob.getParent());
		}
		catch (DirectoryNotEmptyException ex) {
			// other blobs share the folder
		}
		return deleted;
	}

	@Override
	public long deleteAll(String tenantId) throws IOException {
		Path dir = tenantDir(tenantId);
		if (!Files.exists(dir)) {
			return 0;
		}
		long blobs = 0;
		try (Stream<Path> all = Files.walk(dir)) {
			for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
				if (Files.isRegularFile(path) && !path.getParent().getFileName().toString().equals(".incoming")) {
					blobs++;
				}
				try {
					Files.delete(path);
				}
				catch (NoSuchFileException ex) {
					// removed meanwhile
				}
			}
		}
		return blobs;
	}
}
