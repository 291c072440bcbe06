package io.dap.portal.sharing;

import java.util.List;

import io.quarkus.qute.TemplateExtension;

@TemplateExtension
public class SharingTemplateExtensions {

    /** How many drives a list of keys sits on: one person may have several keys on one drive. */
    static long driveCount(List<DriveKeyCleanup.KeyOnDrive> keys) {
        return keys.stream().map(DriveKeyCleanup.KeyOnDrive::driveId).distinct().count();
    }
}
