package io.custodia.requests;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** One real SMTP server (GreenMail) for the test JVM, on a free port; tests tell their mails apart by address. */
final class Mailbox {

	static final GreenMail SERVER = start();

	private Mailbox() {
	}

	private static GreenMail start() {
		var server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		return server;
	}

	static int port() {
		return SERVER.getSmtp().getPort();
	}

	static List<MimeMessage> to(String address) {
		return Arrays.stream(SERVER.getReceivedMessages()).filter(m -> {
			try {
				return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equalsIgnoreCase(address));
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	static String body(MimeMessage message) {
		return GreenMailUtil.getBody(message);
	}

	/** The first group of the pattern in the last mail to the address whose body has it. */
	static String find(String address, String regex) {
		Pattern pattern = Pattern.compile(regex);
		var mails = to(address);
		for (int i = mails.size() - 1; i >= 0; i--) {
			Matcher m = pattern.matcher(body(mails.get(i)));
			if (m.find()) {
				return m.group(1);
			}
		}
		throw new AssertionError("no mail to " + address + " matches " + regex + " among " + mails.size());
	}
}
