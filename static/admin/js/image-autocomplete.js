"use strict";
// Image fields in story, person and show forms: the preview beside the autocomplete shows the
// saved picture; once another one is chosen it no longer applies, so say so.
// (Merged widget media can put this file before jquery.init.js: wait for the page.)
document.addEventListener("DOMContentLoaded", () => {
    const $ = django.jQuery;
    $(document).on("change", "select.admin-autocomplete", function () {
        const choice = this.parentElement.querySelector("[data-image-choice]");
        if (choice) {
            choice.textContent = "The new picture shows here once you save.";
            choice.classList.add("help");
        }
    });
});
