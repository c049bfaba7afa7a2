;;; eglot-diagnostics.el --- boundary-lint's language server under eglot, in batch mode -*- lexical-binding: t -*-
;; Open a Python file with eglot attached to `boundary-lint lsp', wait for flymake's
;; diagnostics, print them ("line:col message" a line) and exit: 0 if some came.
;;
;;   cd examples/trove-split
;;   emacs --batch -l ../../docs/examples/editors/eglot-diagnostics.el troveguest/api.py
;;
;; Tried with Emacs 28.2 and eglot 1.9 (Debian's elpa-eglot). BOUNDARY_LINT: the server
;; command, default "boundary-lint".
(package-initialize)
(require 'eglot)
(require 'flymake)
(add-to-list 'eglot-server-programs
             `(python-mode . (,(or (getenv "BOUNDARY_LINT") "boundary-lint") "lsp")))
;; The workspace root is the project's root; by default the version control root (here the
;; boundary-lint repository, whose configuration is not the example's): the working directory.
(add-hook 'project-find-functions (lambda (_dir) (cons 'transient default-directory)))
(let ((file (car command-line-args-left)))
  (setq command-line-args-left nil)
  (find-file file)
  (python-mode)
  (apply #'eglot (eglot--guess-contact))  ; `eglot-ensure' waits for the command loop
  (let ((deadline (+ (float-time) 30)))
    (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
      (accept-process-output nil 0.2)))
  (dolist (d (flymake-diagnostics))
    (let ((pos (flymake-diagnostic-beg d)))
      (princ (format "%d:%d %s\n" (line-number-at-pos pos) (1+ (save-excursion (goto-char pos) (current-column)))
                     (flymake-diagnostic-text d)))))
  (kill-emacs (if (flymake-diagnostics) 0 1)))
