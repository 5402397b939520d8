package com.cloudextender.modules.support.lease;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.UploadReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rule a singleton sync follows under a customer-wide lease (docs/PROTOCOL.md section 11): its uploads
 * are fenced by the lease, so that a former holder's late chunk is dropped by the cloud and a lost lease
 * stops the run at the next chunk; and its first run under a generation it has not completed a run under
 * is a full one, because another extender may have held the lease (and uploaded) in between, so this
 * extender's own baseline may be behind the cloud's copy. Records are keyed by object id with a content
 * hash, so a full run converges the cloud's copy whatever the previous holder managed to send.
 */
public final class LeaseRuns {
    private LeaseRuns() {
    }

    /**
     * The lease for a run a command starts now ({@link ModuleScheduler#leaseNow}).
     *
     * @param work what the command asked for, for the refusal's message
     * @throws NotLeaseHolderException when another extender holds the lease
     */
    public static ModuleScheduler.Lease forRequest(ModuleScheduler scheduler, String lease, String work)
            throws NotLeaseHolderException {
        return scheduler.leaseNow(lease).orElseThrow(() -> new NotLeaseHolderException(work, lease));
    }

    /** Whether the next run under {@code lease} must be full: its generation differs from the last completed run's. */
    public static boolean mustRunFull(ModuleState state, ModuleScheduler.Lease lease) {
        if (lease.generation() <= 0) {
            return false; // a cloud without leases: nothing to take over
        }
        return lastGeneration(state, lease.name()).map(g -> g != lease.generation()).orElse(true);
    }

    /** Records that a run under {@code lease} completed (its baseline now matches what the cloud stored). */
    public static void completed(ModuleState state, ModuleScheduler.Lease lease) {
        if (lease.generation() > 0) {
            state.put(key(lease.name()), Long.toString(lease.generation()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The generation of the last completed run under {@code lease}, if any. */
    static Optional<Long> lastGeneration(ModuleState state, String lease) {
        return state.get(key(lease)).map(b -> {
            try {
                return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return -1L; // unreadable: treated as another generation, so the next run is full
            }
        });
    }

    /** {@code uploads} fenced by {@code lease}: refused once it is lost, and marked with its generation. */
    public static BulkUploads fenced(BulkUploads uploads, ModuleScheduler.Lease lease) {
        return new BulkUploads() {
            @Override
            public UploadReceipt upload(Path file, String name, String contentType) throws IOException,
                    InterruptedException {
                return uploads.upload(file, name, contentType, lease);
            }

            @Override
            public UploadReceipt upload(Path file, String name, String contentType, ModuleScheduler.Lease fence)
                    throws IOException, InterruptedException {
                return uploads.upload(file, name, contentType, fence);
            }
        };
    }

    private static String key(String lease) {
        return "lease/" + lease + "/generation";
    }
}
