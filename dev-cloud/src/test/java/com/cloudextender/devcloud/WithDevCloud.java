package com.cloudextender.devcloud;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh dev cloud in a temporary folder for each test, closed afterwards. */
abstract class WithDevCloud {
    @TempDir
    Path dir;
    DevCloud cloud;

    @BeforeEach
    void startCloud() throws Exception {
        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));
    }

    @AfterEach
    void stopCloud() {
        cloud.close();
    }
}
